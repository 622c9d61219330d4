// img2dataset webdataset output: `*.tar` shards of <key>.jpg/.txt/.json read in place.
// Each image member is recorded by offset and size; only txt/json members (a few hundred
// bytes) are read, plus an image's first bytes when its json lacks width/height.
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { datasetBaseDir, relativeTo } from '../base-dir';
import { messageOf } from '../errors';
import { findFiles } from '../fs-walk';
import {
  sizeFromHeader,
  sizeFromSharp,
  HEADER_PROBE_BYTES,
  HEADER_PROBE_MAX_BYTES,
  type ImageSize,
} from '../image-probe';
import { readAttemptedRows, shardStem, shardTotal, unyieldedRowRecords } from '../img2dataset-sidecars';
import { sampleRecord, SAMPLE_IMAGE_EXTS, splitMemberName, type SampleParts } from '../img2dataset-sample';
import { ProgressTicker } from '../progress';
import { commonOptions, optStrings, type Options } from '../reader-options';
import { BlockReader } from '../tar/block-reader';
import { walkTar } from '../tar/tar-walk';
import type { FormatReader, PairRecord, ReadItem, ReadOptions } from '../types';

/** txt/json members larger than this are not captions or metadata: not read. */
const MAX_SMALL_MEMBER = 16 * 1024 * 1024;
/** Largest image member handed to sharp when image-size cannot read its header. */
const MAX_SHARP_MEMBER = 64 * 1024 * 1024;

/** The shards to read, absolute, in natural order: the dropped .tar, or every .tar under the folder. */
export async function listShards(root: string, only?: string[]): Promise<string[]> {
  const base = datasetBaseDir(root);
  if (only) return only.map((rel) => path.resolve(base, rel));
  const st = await stat(root);
  if (st.isFile()) return [path.resolve(root)];
  return (await findFiles(root, (n) => n.toLowerCase().endsWith('.tar'))).map((rel) => path.join(base, rel));
}

interface PendingSample extends SampleParts {
  kinds: Set<string>;
}

/** Reads one shard; yields its records in member order, then the parquet's other rows. */
export async function* readTarShard(
  file: string,
  base: string,
  maxPixels: number,
): AsyncGenerator<PairRecord> {
  const shardName = relativeTo(base, file);
  const stem = shardStem(file);
  const attempted = await readAttemptedRows(stem);
  const yielded = new Set<string>();
  let cut = false;
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    // The whole shard is unreadable: one record says so (or its parquet rows, if any).
    cut = true;
    if (!attempted.rows) {
      yield {
        key: `${shardName}#unreadable`,
        imageKey: `${shardName}#unreadable`,
        image: { kind: 'none' },
        caption: null,
        error: { kind: 'truncated_archive', message: `${shardName} cannot be opened: ${messageOf(e)}` },
      };
      return;
    }
  }
  if (fh) {
    try {
      const size = (await fh.stat()).size;
      const reader = new BlockReader(fh, size);
      const tarRef = (member: string, offset: number, bytes: number) =>
        ({ kind: 'tar', path: shardName, member, offset, size: bytes }) as const;
      let current: PendingSample | undefined;
      let lastKinds: Set<string> | undefined;

      const probeFor = (s: SampleParts) => async (): Promise<ImageSize | undefined> => {
        const ref = s.image?.ref;
        if (!ref || ref.kind !== 'tar') return undefined;
        const first = await reader.read(ref.offset, Math.min(ref.size, HEADER_PROBE_BYTES));
        const a = sizeFromHeader(first);
        if (a || ref.size <= first.length)
          return a ?? (ref.size > 0 ? sizeFromSharp(Buffer.from(first)) : undefined);
        const more = await reader.read(ref.offset, Math.min(ref.size, HEADER_PROBE_MAX_BYTES));
        const b = sizeFromHeader(more);
        if (b || ref.size > MAX_SHARP_MEMBER) return b;
        return sizeFromSharp(Buffer.from(await reader.read(ref.offset, ref.size)));
      };
      const finish = async (s: PendingSample): Promise<PairRecord> => {
        yielded.add(s.key);
        lastKinds = s.kinds;
        return sampleRecord(s, probeFor(s), maxPixels);
      };
      const cutRecord = (s: PendingSample, message: string): PairRecord => {
        yielded.add(s.key);
        return {
          key: s.key,
          imageKey: s.key,
          image: s.image?.ref ?? { kind: 'none' },
          caption: null,
          bytes: s.image?.bytes,
          error: { kind: 'truncated_archive', message: `${shardName}: ${message}` },
        };
      };

      for await (const ev of walkTar(reader)) {
        if (ev.type === 'member') {
          const m = ev.member;
          const { key, ext } = splitMemberName(m.name);
          if (!current || current.key !== key) {
            if (current) yield await finish(current);
            current = { key, where: `${shardName}: ${key}`, kinds: new Set() };
          }
          current.kinds.add(ext);
          if (SAMPLE_IMAGE_EXTS.has(ext))
            current.image = { ref: tarRef(m.name, m.offset, m.size), bytes: m.size };
          else if ((ext === 'txt' || ext === 'json') && m.size <= MAX_SMALL_MEMBER) {
            const bytes = Buffer.from(
              reader.cached(m.offset, m.size) ?? (await reader.read(m.offset, m.size)),
            );
            if (ext === 'txt') current.txt = bytes;
            else current.json = bytes;
          }
          continue;
        }
        // The archive stops early (cut, or a header that is not a tar header).
        cut = true;
        const cutKey =
          ev.type === 'truncated' && ev.name !== undefined ? splitMemberName(ev.name).key : undefined;
        if (current) {
          const complete =
            cutKey !== current.key &&
            lastKinds !== undefined &&
            [...lastKinds].every((k) => current!.kinds.has(k));
          if (complete) yield await finish(current);
          else yield cutRecord(current, ev.message);
        }
        if (cutKey !== undefined && cutKey !== current?.key) {
          yield cutRecord({ key: cutKey, where: `${shardName}: ${cutKey}`, kinds: new Set() }, ev.message);
        } else if (!current && !attempted.rows) {
          // Nothing to pin the damage on: one record so the cut is seen and counted.
          yield cutRecord(
            { key: `${shardName}@${ev.offset}`, where: shardName, kinds: new Set() },
            ev.message,
          );
        }
        current = undefined;
        break;
      }
      if (current) yield await finish(current);
    } finally {
      await fh.close();
    }
  }
  if (attempted.rows) yield* unyieldedRowRecords(attempted.rows, yielded, shardName, cut);
}

export function createWebdatasetReader(options?: Options): FormatReader {
  const common = commonOptions(options);
  const only = optStrings(options, 'shards');
  return {
    format: 'webdataset',
    async estimateTotal(opts: ReadOptions) {
      let total = 0;
      for (const shard of await listShards(opts.root, only)) {
        const n = await shardTotal(shardStem(shard));
        if (n === undefined) return undefined;
        total += n;
      }
      return total;
    },
    async *read(opts: ReadOptions): AsyncGenerator<ReadItem> {
      const base = datasetBaseDir(opts.root);
      const shards = await listShards(opts.root, only);
      let bytesTotal = 0;
      const sizes: number[] = [];
      for (const s of shards) {
        const n = await stat(s).then(
          (st) => st.size,
          () => 0,
        );
        sizes.push(n);
        bytesTotal += n;
      }
      const progress = new ProgressTicker(opts.onProgress, shards.length, bytesTotal);
      const startUnit = opts.startUnit ?? 0;
      for (let unit = 0; unit < shards.length; unit++) {
        if (unit < startUnit) {
          progress.bytesDone += sizes[unit] ?? 0;
          progress.unitsDone++;
          continue;
        }
        opts.signal?.throwIfAborted();
        let count = 0;
        for await (const record of readTarShard(shards[unit]!, base, common.maxPixels)) {
          yield { record, unit };
          if ((++count & 1023) === 0) {
            opts.signal?.throwIfAborted();
            progress.tick();
          }
        }
        progress.bytesDone += sizes[unit] ?? 0;
        progress.unitDone();
      }
    },
  };
}
