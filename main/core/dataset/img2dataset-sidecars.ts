// The files img2dataset writes next to each shard: `<shard>.parquet` lists every row it
// tried (failures included, with their error message) and `<shard>_stats.json` the counts.
// They let the index account for every attempted row, not only those that downloaded.
import { readFile, stat } from 'node:fs/promises';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import { messageOf } from './errors';
import type { ErrorKind, PairRecord } from './types';

export interface AttemptedRow {
  key: string;
  status: string;
  errorMessage?: string | undefined;
  url?: string | undefined;
  caption?: string | undefined;
  uid?: string | undefined;
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** `/x/00012.tar` → `/x/00012` (the stem shared by the shard's sidecars). */
export function shardStem(file: string): string {
  return file.replace(/\.(tar|parquet)$/i, '');
}

function str(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  return typeof v === 'string' ? v : String(v);
}

/** Column names of a parquet file. */
export async function parquetColumns(file: string): Promise<string[]> {
  const buf = await asyncBufferFromFile(file);
  const meta = await parquetMetadataAsync(buf);
  return parquetSchema(meta).children.map((c) => c.element.name);
}

/**
 * Rows of the shard's parquet (key, status, error, url, caption, uid), or undefined when it
 * has none or it is unreadable (the tar alone is then the truth).
 */
export async function readAttemptedRows(stem: string): Promise<{ rows?: AttemptedRow[]; problem?: string }> {
  const file = `${stem}.parquet`;
  if (!(await exists(file))) return {};
  try {
    const buf = await asyncBufferFromFile(file);
    const meta = await parquetMetadataAsync(buf);
    const names = new Set(parquetSchema(meta).children.map((c) => c.element.name));
    if (!names.has('key') || !names.has('status')) return { problem: `${file} has no key/status columns` };
    const columns = ['key', 'status', 'error_message', 'url', 'caption', 'uid'].filter((c) => names.has(c));
    const objs = await parquetReadObjects({ file: buf, metadata: meta, columns });
    const rows = objs.map((o) => ({
      key: str(o.key) ?? '',
      status: str(o.status) ?? '',
      errorMessage: str(o.error_message),
      url: str(o.url),
      caption: str(o.caption),
      uid: str(o.uid),
    }));
    return { rows };
  } catch (e) {
    return { problem: `${file} is unreadable: ${messageOf(e)}` };
  }
}

export interface ShardStats {
  count?: number | undefined;
  successes?: number | undefined;
}

/** `<stem>_stats.json`, when present and readable. */
export async function readShardStats(stem: string): Promise<ShardStats | undefined> {
  try {
    const v = JSON.parse(await readFile(`${stem}_stats.json`, 'utf8')) as Record<string, unknown>;
    const num = (x: unknown): number | undefined =>
      typeof x === 'number' && Number.isFinite(x) ? x : undefined;
    return { count: num(v.count), successes: num(v.successes) };
  } catch {
    return undefined;
  }
}

/** Rows of the parquet, from its footer only. */
export async function parquetRowCount(file: string): Promise<number | undefined> {
  try {
    const meta = await parquetMetadataAsync(await asyncBufferFromFile(file));
    return Number(meta.num_rows);
  } catch {
    return undefined;
  }
}

/**
 * Pairs a shard yields: every attempted row when the parquet is there (failures become
 * error records), else only the successes.
 */
export async function shardTotal(stem: string): Promise<number | undefined> {
  const hasParquet = await exists(`${stem}.parquet`);
  const stats = await readShardStats(stem);
  if (hasParquet) return stats?.count ?? (await parquetRowCount(`${stem}.parquet`));
  return stats?.successes;
}

/**
 * Records for the parquet rows the shard itself did not yield: failed downloads
 * (download_failed, url and caption kept) and successes missing from the shard
 * (truncated_archive when the shard was cut, else missing_image).
 */
export function* unyieldedRowRecords(
  rows: readonly AttemptedRow[],
  yielded: ReadonlySet<string>,
  shardName: string,
  shardCut: boolean,
): Generator<PairRecord> {
  for (const row of rows) {
    if (yielded.has(row.key)) continue;
    const failed = row.status !== 'success';
    const kind: ErrorKind = failed ? 'download_failed' : shardCut ? 'truncated_archive' : 'missing_image';
    const message = failed
      ? `not downloaded (${row.status || 'no status'}): ${row.errorMessage ?? 'no error message'}`
      : shardCut
        ? `${shardName} is cut short before this sample (listed as downloaded in its parquet)`
        : `listed as downloaded in the parquet but not found in ${shardName}`;
    yield {
      key: row.key,
      imageKey: row.key,
      image: row.url ? { kind: 'url', url: row.url } : { kind: 'none' },
      caption: row.caption ?? null,
      url: row.url,
      uid: row.uid,
      error: { kind, message },
    };
  }
}
