// img2dataset "files" output: `NNNNN/` folders of <key>.jpg + <key>.txt + <key>.json, with
// `NNNNN.parquet` (every attempted row) and `NNNNN_stats.json` beside them. One folder is
// one unit.
import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { datasetBaseDir, relativeTo } from '../base-dir';
import { pairError } from '../errors';
import { listDir } from '../fs-walk';
import { sizeOfImageBytes } from '../image-probe';
import { readAttemptedRows, shardTotal, unyieldedRowRecords } from '../img2dataset-sidecars';
import { sampleRecord, SAMPLE_IMAGE_EXTS, splitMemberName, type SampleParts } from '../img2dataset-sample';
import { ProgressTicker } from '../progress';
import { commonOptions, type Options } from '../reader-options';
import type { FormatReader, PairRecord, ReadItem, ReadOptions } from '../types';
import { mapOrdered } from '../concurrent';
import { resolveInside, PathEscapeError } from '../../util/paths';

/** img2dataset names its shard folders with digits only (5 or more). */
export const SHARD_DIR = /^\d{5,}$/;

/** Shard folders under the root, natural order. */
export async function listShardDirs(root: string): Promise<string[]> {
  return (await listDir(root)).dirs.filter((d) => SHARD_DIR.test(d));
}

async function readSmall(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch {
    return undefined;
  }
}

async function probeFile(abs: string) {
  const fh = await open(abs, 'r');
  try {
    const total = (await fh.stat()).size;
    return await sizeOfImageBytes(
      total,
      async (n) => {
        const buf = Buffer.allocUnsafe(n);
        const { bytesRead } = await fh.read(buf, 0, n, 0);
        return buf.subarray(0, bytesRead);
      },
      async () => abs,
    );
  } catch {
    return undefined;
  } finally {
    await fh.close();
  }
}

interface FolderSample {
  key: string;
  image?: string;
  txt?: string;
  json?: string;
}

/** Groups a folder's files into samples by key (the name before the first dot). */
export function groupSamples(files: readonly string[]): FolderSample[] {
  const byKey = new Map<string, FolderSample>();
  for (const f of files) {
    const { key, ext } = splitMemberName(f);
    let s = byKey.get(key);
    if (!s) byKey.set(key, (s = { key }));
    if (SAMPLE_IMAGE_EXTS.has(ext)) s.image = f;
    else if (ext === 'txt') s.txt = f;
    else if (ext === 'json') s.json = f;
  }
  return [...byKey.values()].filter((s) => s.image || s.txt || s.json);
}

/** Reads one shard folder, then the parquet's rows the folder does not hold. */
async function* readShardDir(
  base: string,
  dir: string,
  maxPixels: number,
  concurrency: number,
): AsyncGenerator<PairRecord> {
  const abs = path.join(base, dir);
  const listing = await listDir(abs);
  const yielded = new Set<string>();
  // Links that stay inside the dataset count as files; those that leave are reported below.
  const escaping: string[] = [];
  const files = [...listing.files];
  for (const link of listing.links) {
    try {
      resolveInside(base, `${dir}/${link}`);
      files.push(link);
    } catch (e) {
      if (!(e instanceof PathEscapeError)) throw e;
      escaping.push(link);
    }
  }
  const samples = groupSamples(files);
  const records = mapOrdered(samples, concurrency, async (s): Promise<PairRecord> => {
    const where = `${dir}/${s.key}`;
    const parts: SampleParts = { key: s.key, where };
    const [txt, json] = await Promise.all([
      s.txt ? readSmall(path.join(abs, s.txt)) : undefined,
      s.json ? readSmall(path.join(abs, s.json)) : undefined,
    ]);
    parts.txt = txt;
    parts.json = json;
    if (s.image) {
      const imageAbs = path.join(abs, s.image);
      const st = await stat(imageAbs).catch(() => undefined);
      if (st)
        parts.image = {
          ref: { kind: 'file', path: relativeTo(base, imageAbs) },
          bytes: st.size,
          mtimeMs: st.mtimeMs,
        };
      const record = await sampleRecord(parts, () => probeFile(imageAbs), maxPixels);
      if (!st) record.error = pairError('unreadable_image', `${where}: ${s.image} cannot be read`);
      return record;
    }
    return sampleRecord(parts, async () => undefined, maxPixels);
  });
  for await (const r of records) {
    yielded.add(r.key);
    yield r;
  }
  for (const link of escaping) {
    const { key } = splitMemberName(link);
    if (yielded.has(key)) continue;
    yielded.add(key);
    yield {
      key,
      imageKey: key,
      image: { kind: 'none' },
      caption: null,
      error: pairError('path_escape', `${dir}/${link} is a link leaving the dataset folder`),
    };
  }
  const attempted = await readAttemptedRows(path.join(base, dir));
  if (attempted.rows) yield* unyieldedRowRecords(attempted.rows, yielded, `${dir}/`, false);
}

export function createImg2datasetFilesReader(options?: Options): FormatReader {
  const common = commonOptions(options);
  return {
    format: 'img2dataset-files',
    async estimateTotal(opts: ReadOptions) {
      const base = datasetBaseDir(opts.root);
      let total = 0;
      for (const d of await listShardDirs(base)) {
        const n = await shardTotal(path.join(base, d));
        if (n === undefined) return undefined;
        total += n;
      }
      return total;
    },
    async *read(opts: ReadOptions): AsyncGenerator<ReadItem> {
      const base = datasetBaseDir(opts.root);
      const dirs = await listShardDirs(base);
      const progress = new ProgressTicker(opts.onProgress, dirs.length);
      const startUnit = opts.startUnit ?? 0;
      for (let unit = 0; unit < dirs.length; unit++) {
        if (unit < startUnit) {
          progress.unitsDone++;
          continue;
        }
        opts.signal?.throwIfAborted();
        let n = 0;
        for await (const record of readShardDir(base, dirs[unit]!, common.maxPixels, common.concurrency)) {
          yield { record, unit };
          if ((++n & 255) === 0) {
            opts.signal?.throwIfAborted();
            progress.tick();
          }
        }
        progress.unitDone();
      }
    },
  };
}
