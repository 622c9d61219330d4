// clip-retrieval output: img_emb/img_emb_N.npy, text_emb/text_emb_N.npy and
// metadata/metadata_N.parquet, row i of each part describing the same pair. Indexing reads
// the metadata only (no pixels, no vectors): key, caption, URL or a local image path;
// the embeddings are then brought in by the import job (features/import), which keys its
// rows with the same `clipRetrievalKey` so the two always agree.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  asyncBufferFromFile,
  parquetMetadataAsync,
  parquetReadObjects,
  parquetSchema,
  type AsyncBuffer,
  type FileMetaData,
} from 'hyparquet';
import { datasetBaseDir, relativeTo } from '../base-dir';
import { captionFromText } from '../caption';
import { messageOf, pairError, worstError } from '../errors';
import { listDir } from '../fs-walk';
import { ProgressTicker } from '../progress';
import type { FormatReader, PairRecord, ReadItem, ReadOptions } from '../types';

export interface ClipRetrievalPart {
  /** The number in the file names (metadata_N), or the part's position when unnumbered. */
  index: number;
  /** Absolute paths. */
  metadata: string;
  image?: string | undefined;
  text?: string | undefined;
}

/** Metadata columns a pair is built from; matched case-insensitively (LAION writes URL, TEXT). */
const COLUMN_ALIASES: Record<string, string[]> = {
  key: ['key'],
  uid: ['uid'],
  image_path: ['image_path'],
  url: ['url'],
  caption: ['caption', 'text', 'txt'],
  width: ['width'],
  height: ['height'],
  hash: ['sha256', 'md5'],
};

const trailingNumber = (name: string): number | undefined => {
  const m = /(\d+)\.[^.]+$/.exec(name);
  return m ? Number(m[1]) : undefined;
};

async function filesIn(dir: string, ext: string): Promise<string[]> {
  return (await listDir(dir)).files
    .filter((f) => f.toLowerCase().endsWith(ext))
    .map((f) => path.join(dir, f));
}

/** The parts of a clip-retrieval folder, metadata file by metadata file, in number order. */
export async function clipRetrievalParts(root: string): Promise<ClipRetrievalPart[]> {
  const base = datasetBaseDir(root);
  const metas = await filesIn(path.join(base, 'metadata'), '.parquet');
  const images = await filesIn(path.join(base, 'img_emb'), '.npy');
  const texts = await filesIn(path.join(base, 'text_emb'), '.npy');
  if (metas.length === 0)
    throw new Error(`${base} has no metadata/*.parquet (clip-retrieval layout expected)`);
  const numbered = [...metas, ...images, ...texts].every(
    (f) => trailingNumber(path.basename(f)) !== undefined,
  );
  if (!numbered && (metas.length > 1 || images.length > 1 || texts.length > 1)) {
    throw new Error(
      `${base}: cannot tell which metadata parquet goes with which .npy (names without a part number)`,
    );
  }
  const byNumber = (files: string[]) =>
    new Map(files.map((f, i) => [numbered ? trailingNumber(path.basename(f))! : i, f]));
  const img = byNumber(images);
  const txt = byNumber(texts);
  return [...byNumber(metas)]
    .sort((a, b) => a[0] - b[0])
    .map(([index, metadata]) => ({ index, metadata, image: img.get(index), text: txt.get(index) }));
}

/** The actual column names (as spelled in the file) for each alias present. */
export function clipRetrievalColumns(meta: FileMetaData): Record<string, string> {
  const names = parquetSchema(meta).children.map((c) => c.element.name);
  const lower = new Map(names.map((n) => [n.toLowerCase(), n]));
  const out: Record<string, string> = {};
  for (const [alias, options] of Object.entries(COLUMN_ALIASES)) {
    const hit = options.map((o) => lower.get(o)).find((n) => n !== undefined);
    if (hit) out[alias] = hit;
  }
  return out;
}

function text(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  const s = (v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v)).trim();
  return s === '' ? undefined : s;
}

function positive(v: unknown): number | undefined {
  const n = typeof v === 'bigint' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * A metadata row's pair key: its key, else uid, else image_path, else url, else its place
 * (`metadata/metadata_0.parquet#row12`). `cols` maps aliases to the file's column names.
 */
export function clipRetrievalKey(
  row: Record<string, unknown>,
  cols: Record<string, string>,
  fileRel: string,
  rowIndex: number,
): string {
  for (const alias of ['key', 'uid', 'image_path', 'url']) {
    const c = cols[alias];
    const v = c ? text(row[c]) : undefined;
    if (v !== undefined) return v;
  }
  return `${fileRel}#row${rowIndex}`;
}

const isUrl = (s: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s);

/**
 * Whether image_path names images on this machine. clip-retrieval writes the paths of the
 * machine that computed the embeddings; checking 40M paths one by one is slow, so a part
 * whose first 16 paths are all absent is taken to have no local images.
 */
function localImagePaths(base: string, paths: (string | undefined)[]): boolean {
  const sample = paths.filter((p): p is string => p !== undefined && !isUrl(p)).slice(0, 16);
  return sample.some((p) => existsSync(path.resolve(base, p)));
}

function fileSize(abs: string): number | undefined {
  try {
    const s = statSync(abs);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

async function* readPart(base: string, file: string): AsyncGenerator<PairRecord> {
  const fileRel = relativeTo(base, file);
  let buf: AsyncBuffer;
  let meta: FileMetaData;
  try {
    buf = await asyncBufferFromFile(file);
    meta = await parquetMetadataAsync(buf);
  } catch (e) {
    const key = `${fileRel}#unreadable`;
    const error = pairError('malformed_record', `${fileRel} is not a readable parquet file: ${messageOf(e)}`);
    yield { key, imageKey: key, image: { kind: 'none' }, caption: null, error };
    return;
  }
  const cols = clipRetrievalColumns(meta);
  const columns = [...new Set(Object.values(cols))];
  let local: boolean | undefined;
  let rowStart = 0;
  for (const group of meta.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file: buf, metadata: meta, columns, rowStart, rowEnd });
    } catch (e) {
      for (let r = rowStart; r < rowEnd; r++) {
        const key = `${fileRel}#row${r}`;
        const error = pairError(
          'malformed_record',
          `${fileRel}, rows ${rowStart}–${rowEnd - 1}: ${messageOf(e)}`,
        );
        yield { key, imageKey: key, image: { kind: 'none' }, caption: null, error };
      }
      rowStart = rowEnd;
      continue;
    }
    const get = (o: Record<string, unknown>, alias: string) => {
      const c = cols[alias];
      return c ? o[c] : undefined;
    };
    local ??= localImagePaths(
      base,
      rows.map((o) => text(get(o, 'image_path'))),
    );
    for (let i = 0; i < rows.length; i++) {
      const o = rows[i]!;
      const row = rowStart + i;
      const key = clipRetrievalKey(o, cols, fileRel, row);
      const where = `${fileRel}, row ${row} (${key})`;
      const rawCaption = get(o, 'caption');
      const caption = captionFromText(
        rawCaption instanceof Uint8Array ? new TextDecoder().decode(rawCaption) : rawCaption,
        where,
      );
      const imagePath = text(get(o, 'image_path'));
      const url = text(get(o, 'url')) ?? (imagePath && isUrl(imagePath) ? imagePath : undefined);
      const record: PairRecord = {
        key,
        imageKey: key,
        image: { kind: 'none' },
        caption: caption.caption,
        url,
        uid: text(get(o, 'uid')),
        hash: text(get(o, 'hash')),
        width: positive(get(o, 'width')),
        height: positive(get(o, 'height')),
      };
      let imageError;
      const abs = imagePath && !isUrl(imagePath) && local ? path.resolve(base, imagePath) : undefined;
      const rel = abs ? relativeTo(base, abs) : undefined;
      const size = abs && rel && !rel.startsWith('..') ? fileSize(abs) : undefined;
      if (rel && size !== undefined) {
        record.image = { kind: 'file', path: rel };
        record.bytes = size;
      } else if (url) {
        record.image = { kind: 'url', url };
      } else {
        imageError = pairError(
          'missing_image',
          imagePath
            ? `${where}: image ${imagePath} is not on this machine and there is no URL`
            : `${where}: no image path or URL`,
        );
      }
      const error = worstError(imageError, caption.error);
      if (error) record.error = error;
      yield record;
    }
    rowStart = rowEnd;
  }
}

export function createClipRetrievalReader(): FormatReader {
  return {
    format: 'clip-retrieval',
    async estimateTotal(opts: ReadOptions) {
      let total = 0;
      try {
        for (const p of await clipRetrievalParts(opts.root)) {
          total += Number((await parquetMetadataAsync(await asyncBufferFromFile(p.metadata))).num_rows);
        }
      } catch {
        return undefined;
      }
      return total;
    },
    async *read(opts: ReadOptions): AsyncGenerator<ReadItem> {
      const base = datasetBaseDir(opts.root);
      const parts = await clipRetrievalParts(opts.root);
      const progress = new ProgressTicker(opts.onProgress, parts.length);
      for (let unit = 0; unit < parts.length; unit++) {
        if (unit < (opts.startUnit ?? 0)) {
          progress.unitsDone++;
          continue;
        }
        opts.signal?.throwIfAborted();
        let n = 0;
        for await (const record of readPart(base, parts[unit]!.metadata)) {
          yield { record, unit };
          if ((++n & 1023) === 0) {
            opts.signal?.throwIfAborted();
            progress.tick();
          }
        }
        progress.unitDone();
      }
    },
  };
}
