// The keys of embedding rows, in row order: a text file with one key per line, or a column
// of a parquet file (clip-retrieval metadata, DataComp's uid parquet). Read sequentially in
// batches (one parquet row group at a time), so 40M keys never sit in memory together.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  asyncBufferFromFile,
  parquetMetadataAsync,
  parquetReadObjects,
  parquetSchema,
  type AsyncBuffer,
  type FileMetaData,
} from 'hyparquet';

export interface KeyReader {
  readonly source: string;
  /** Rows in total, when known up front (parquet). */
  readonly total: number | undefined;
  /** About `max` further keys (fewer only at the end, none once exhausted). null = row without key. */
  next(max: number): Promise<(string | null)[]>;
  close(): void;
}

export class KeyListError extends Error {}

export function openTextKeys(file: string): KeyReader {
  const input = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const lines = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]();
  let first = true;
  // Blank lines count as (empty) keys only when a key follows: a file ending in blank lines
  // has no extra rows.
  let blanks = 0;
  return {
    source: file,
    total: undefined,
    async next(max) {
      const out: (string | null)[] = [];
      while (out.length < max) {
        const r = await lines.next();
        if (r.done) break;
        let line: string = r.value;
        if (first && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
        first = false;
        const key = line.trim();
        if (key === '') {
          blanks++;
          continue;
        }
        for (; blanks > 0; blanks--) out.push('');
        out.push(key);
      }
      return out;
    },
    close() {
      input.destroy();
    },
  };
}

export async function parquetColumns(file: string): Promise<{ meta: FileMetaData; columns: string[] }> {
  const meta = await parquetMetadataAsync(await asyncBufferFromFile(file));
  return { meta, columns: parquetSchema(meta).children.map((c) => c.element.name) };
}

export type RowKey = (row: Record<string, unknown>, rowIndex: number) => string | null;

/** A key per parquet row computed by `keyOf` from `columns` (read one row group at a time). */
export async function openParquetKeys(file: string, columns: string[], keyOf: RowKey): Promise<KeyReader> {
  let buf: AsyncBuffer;
  let meta: FileMetaData;
  try {
    buf = await asyncBufferFromFile(file);
    meta = await parquetMetadataAsync(buf);
  } catch (e) {
    throw new KeyListError(`${file} is not a readable parquet file: ${e instanceof Error ? e.message : e}`);
  }
  const have = new Set(parquetSchema(meta).children.map((c) => c.element.name));
  const read = columns.filter((c) => have.has(c));
  if (read.length === 0) throw new KeyListError(`${file} has none of the columns ${columns.join(', ')}`);
  const groupEnds: number[] = [];
  let end = 0;
  for (const g of meta.row_groups) groupEnds.push((end += Number(g.num_rows)));
  let group = 0;
  let rowStart = 0;
  let pending: (string | null)[] = [];
  let at = 0; // first unconsumed entry of pending
  return {
    source: file,
    total: Number(meta.num_rows),
    async next(max) {
      const out: (string | null)[] = [];
      while (out.length < max) {
        if (at === pending.length) {
          if (group === groupEnds.length) break;
          const rowEnd = groupEnds[group]!;
          const rows = await parquetReadObjects({
            file: buf,
            metadata: meta,
            columns: read,
            rowStart,
            rowEnd,
          });
          const first = rowStart;
          pending = rows.map((r, i) => keyOf(r, first + i));
          at = 0;
          rowStart = rowEnd;
          group++;
          continue;
        }
        const k = Math.min(max - out.length, pending.length - at);
        for (let i = 0; i < k; i++) out.push(pending[at + i] ?? null);
        at += k;
      }
      return out;
    },
    close() {
      pending = [];
    },
  };
}

/** A parquet cell as key text (uids may be stored as integers). */
export function keyText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  const s = String(v).trim();
  return s === '' ? null : s;
}
