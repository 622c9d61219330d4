// Shared walk of the json-file formats (COCO, Karpathy, BLIP, LLaVA): one json file is
// one unit; each format turns the file's streamed items into pending pairs; the image
// folder is found by probing the first names; images are then resolved and described.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { datasetBaseDir } from './base-dir';
import { resolvePairs, type PendingPair } from './file-pairs';
import { findFiles } from './fs-walk';
import { findImageDir, joinRel } from './image-dir';
import { streamJsonItems, type JsonEvent } from './json-stream';
import { ProgressTicker } from './progress';
import { commonOptions, optString, optStrings, type Options } from './reader-options';
import type { FormatId, FormatReader, ReadItem, ReadOptions } from './types';

export interface JsonFileContext {
  /** The json file, relative to the base folder. */
  fileRel: string;
  unit: number;
}

export interface JsonFormatSpec {
  format: FormatId;
  /** The json files of a dropped folder (relative to it), when detection named none. */
  defaultFiles(base: string): Promise<string[]>;
  /** Pending pairs of one file; `image` fields are names relative to the image folder. */
  pairs(events: AsyncIterable<JsonEvent>, ctx: JsonFileContext): AsyncIterable<PendingPair>;
  /** Folders to try first for the images of `fileRel`. */
  imageDirHints?(fileRel: string): string[];
}

/** Names of the top-level files of `base` that `accept` takes. */
export async function topLevelFiles(
  base: string,
  accept: (name: string) => boolean,
  depth = 0,
): Promise<string[]> {
  return findFiles(base, accept, depth);
}

const PROBE_COUNT = 12;

/**
 * Buffers the first pairs until a dozen image names are seen, picks the image folder
 * from them, then passes everything through with `image` relative to the base folder.
 */
export async function* placeImages(
  base: string,
  pending: AsyncIterable<PendingPair>,
  hints: string[],
  fixedDir: string | undefined,
): AsyncGenerator<PendingPair> {
  let dir = fixedDir;
  const buffered: PendingPair[] = [];
  const place = (p: PendingPair): PendingPair => (p.image ? { ...p, image: joinRel(dir ?? '', p.image) } : p);
  for await (const p of pending) {
    if (dir !== undefined) {
      yield place(p);
      continue;
    }
    buffered.push(p);
    const names = buffered.filter((b) => b.image).map((b) => b.image!);
    if (new Set(names).size >= PROBE_COUNT) {
      dir = (await findImageDir(base, names, hints)).dir;
      for (const b of buffered.splice(0)) yield place(b);
    }
  }
  if (dir === undefined) {
    dir = (
      await findImageDir(
        base,
        buffered.filter((b) => b.image).map((b) => b.image!),
        hints,
      )
    ).dir;
    for (const b of buffered) yield place(b);
  }
}

/** A FormatReader over json files described by `spec`. */
export function createJsonReader(spec: JsonFormatSpec, options?: Options): FormatReader {
  const common = commonOptions(options);
  const only = optStrings(options, 'files');
  const imageDir = optString(options, 'imageDir');
  const filesOf = async (root: string): Promise<string[]> => {
    const base = datasetBaseDir(root);
    if (only) return only;
    if ((await stat(root)).isFile()) return [path.basename(root)];
    return spec.defaultFiles(base);
  };
  return {
    format: spec.format,
    async *read(opts: ReadOptions): AsyncGenerator<ReadItem> {
      const base = datasetBaseDir(opts.root);
      const files = await filesOf(opts.root);
      const progress = new ProgressTicker(opts.onProgress, files.length);
      for (let unit = 0; unit < files.length; unit++) {
        if (unit < (opts.startUnit ?? 0)) {
          progress.unitsDone++;
          continue;
        }
        const fileRel = files[unit]!;
        const events = streamJsonItems(path.join(base, fileRel), opts.signal);
        const pending = placeImages(
          base,
          spec.pairs(events, { fileRel, unit }),
          spec.imageDirHints?.(fileRel) ?? [],
          imageDir,
        );
        let n = 0;
        for await (const item of resolvePairs(base, pending, common.maxPixels, common.concurrency)) {
          yield item;
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

/** The record that stands for a json file whose structure is broken. */
export function brokenFilePair(ev: Extract<JsonEvent, { type: 'fatal' }>, ctx: JsonFileContext): PendingPair {
  return {
    key: `${ctx.fileRel}#broken`,
    imageKey: `${ctx.fileRel}#broken`,
    caption: { caption: null },
    error: { kind: 'malformed_record', message: `${ctx.fileRel}, line ${ev.line}: ${ev.message}` },
    unit: ctx.unit,
  };
}

/** The record for one item that did not parse. */
export function badItemPair(ev: Extract<JsonEvent, { type: 'bad' }>, ctx: JsonFileContext): PendingPair {
  const key = `${ctx.fileRel}#line${ev.line}`;
  return {
    key,
    imageKey: key,
    caption: { caption: null },
    error: { kind: 'malformed_record', message: `${ctx.fileRel}: ${ev.message}` },
    unit: ctx.unit,
  };
}

/** The record for an item that parsed but is not a JSON object. */
export function notObjectPair(ev: { index: number; line: number }, ctx: JsonFileContext): PendingPair {
  return badItemPair(
    {
      type: 'bad',
      key: undefined,
      index: ev.index,
      line: ev.line,
      message: `line ${ev.line}: item is not an object`,
    },
    ctx,
  );
}

/** An object's field as a non-empty string (numbers allowed), else undefined. */
export function field(o: Record<string, unknown>, name: string): string | undefined {
  const v = o[name];
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
