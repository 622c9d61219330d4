// img2dataset parquet output: `*.parquet` with the image bytes in a column (jpg/png/webp)
// beside key, txt (caption), url, status, error_message, width, height, sha256. Read one
// row group at a time (memory: one group); ImageRef kind 'parquet' names row and column.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  asyncBufferFromFile,
  parquetMetadataAsync,
  parquetReadObjects,
  parquetSchema,
  type FileMetaData,
} from 'hyparquet';
import { datasetBaseDir, relativeTo } from '../base-dir';
import { captionFromBytes, captionFromText, type CaptionResult } from '../caption';
import { messageOf, pairError, worstError, type PairError } from '../errors';
import { findFiles } from '../fs-walk';
import {
  pixelLimitError,
  sizeFromHeader,
  sizeFromSharp,
  HEADER_PROBE_MAX_BYTES,
  type ImageSize,
} from '../image-probe';
import { ProgressTicker } from '../progress';
import { commonOptions, optStrings, type Options } from '../reader-options';
import type { FormatReader, PairRecord, ReadItem, ReadOptions } from '../types';

export const IMAGE_BYTE_COLUMNS = ['jpg', 'png', 'webp', 'jpeg', 'image'];
const META_COLUMNS = [
  'key',
  'txt',
  'caption',
  'url',
  'status',
  'error_message',
  'width',
  'height',
  'sha256',
  'uid',
];

/** The image-bytes column of a parquet schema, if any. */
export function imageColumnOf(meta: FileMetaData): string | undefined {
  const cols = parquetSchema(meta).children.map((c) => c.element);
  const binary = cols.filter(
    (e) => e.type === 'BYTE_ARRAY' && e.converted_type !== 'UTF8' && e.logical_type?.type !== 'STRING',
  );
  for (const name of IMAGE_BYTE_COLUMNS) if (binary.some((e) => e.name === name)) return name;
  return undefined;
}

const strict = new TextDecoder('utf-8', { fatal: true });
const lossy = new TextDecoder('utf-8');

function num(v: unknown): number | undefined {
  const n = typeof v === 'bigint' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
}

function str(v: unknown): string | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if (v instanceof Uint8Array) return lossy.decode(v);
  return String(v);
}

async function imageSizeOf(bytes: Uint8Array): Promise<ImageSize | undefined> {
  const s = sizeFromHeader(bytes.subarray(0, HEADER_PROBE_MAX_BYTES));
  if (s || bytes.length === 0) return s;
  return sizeFromSharp(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

async function* readParquetFile(base: string, file: string, maxPixels: number): AsyncGenerator<PairRecord> {
  const fileRel = relativeTo(base, file);
  let meta: FileMetaData;
  let buf;
  try {
    buf = await asyncBufferFromFile(file);
    meta = await parquetMetadataAsync(buf);
  } catch (e) {
    const key = `${fileRel}#unreadable`;
    yield {
      key,
      imageKey: key,
      image: { kind: 'none' },
      caption: null,
      error: pairError('malformed_record', `${fileRel} is not a readable parquet file: ${messageOf(e)}`),
    };
    return;
  }
  const imageColumn = imageColumnOf(meta);
  const names = new Set(parquetSchema(meta).children.map((c) => c.element.name));
  const columns = [...(imageColumn ? [imageColumn] : []), ...META_COLUMNS.filter((c) => names.has(c))];
  // Strings that were not valid UTF-8: decoded lossily by our parser, remembered to flag.
  const badText = new Set<string>();
  const parsers = {
    stringFromBytes(b: Uint8Array) {
      if (!b) return b;
      try {
        return strict.decode(b);
      } catch {
        const s = lossy.decode(b);
        badText.add(s);
        return s;
      }
    },
  };
  let rowStart = 0;
  for (const group of meta.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({
        file: buf,
        metadata: meta,
        columns,
        rowStart,
        rowEnd,
        utf8: false,
        parsers,
      });
    } catch (e) {
      for (let r = rowStart; r < rowEnd; r++) {
        const key = `${fileRel}#row${r}`;
        yield {
          key,
          imageKey: key,
          image: { kind: 'none' },
          caption: null,
          error: pairError('malformed_record', `${fileRel}, rows ${rowStart}–${rowEnd - 1}: ${messageOf(e)}`),
        };
      }
      rowStart = rowEnd;
      continue;
    }
    for (let i = 0; i < rows.length; i++) {
      const o = rows[i]!;
      const row = rowStart + i;
      const key = str(o.key) ?? `${fileRel}#row${row}`;
      const where = `${fileRel}, row ${row} (${key})`;
      const rawCaption = o.txt ?? o.caption;
      let caption: CaptionResult;
      if (rawCaption instanceof Uint8Array) caption = captionFromBytes(rawCaption, where);
      else
        caption = captionFromText(
          rawCaption,
          where,
          typeof rawCaption === 'string' && badText.has(rawCaption),
        );
      const record: PairRecord = {
        key,
        imageKey: key,
        image: { kind: 'none' },
        caption: caption.caption,
        url: str(o.url),
        uid: str(o.uid),
        hash: str(o.sha256),
      };
      const status = str(o.status);
      const bytes = imageColumn ? o[imageColumn] : undefined;
      let imageError: PairError | undefined;
      if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
        imageError =
          status && status !== 'success'
            ? pairError(
                'download_failed',
                `${where}: not downloaded (${status}): ${str(o.error_message) ?? 'no error message'}`,
              )
            : pairError(
                'missing_image',
                imageColumn
                  ? `${where}: no image bytes`
                  : `${fileRel} has no image column (${IMAGE_BYTE_COLUMNS.join('/')})`,
              );
        if (record.url) record.image = { kind: 'url', url: record.url };
      } else {
        record.image = { kind: 'parquet', path: fileRel, row, column: imageColumn! };
        record.bytes = bytes.length;
        const w = num(o.width);
        const h = num(o.height);
        const size = w && h ? { width: w, height: h } : await imageSizeOf(bytes);
        if (!size)
          imageError = pairError(
            'corrupt_image',
            `${where}: image header unreadable (corrupt or not an image)`,
          );
        else {
          record.width = size.width;
          record.height = size.height;
          imageError = pixelLimitError(size, maxPixels, where);
        }
      }
      const error = worstError(imageError, caption.error);
      if (error) record.error = error;
      yield record;
    }
    rowStart = rowEnd;
  }
}

/** Parquet files of the dataset: the dropped file, or every *.parquet under the folder. */
async function listParquets(root: string, only?: string[]): Promise<string[]> {
  const base = datasetBaseDir(root);
  if (only) return only.map((f) => path.resolve(base, f));
  if ((await stat(root)).isFile()) return [path.resolve(root)];
  return (await findFiles(base, (n) => n.toLowerCase().endsWith('.parquet'), 2)).map((f) =>
    path.join(base, f),
  );
}

export function createImg2datasetParquetReader(options?: Options): FormatReader {
  const common = commonOptions(options);
  const only = optStrings(options, 'files');
  return {
    format: 'img2dataset-parquet',
    async estimateTotal(opts: ReadOptions) {
      let total = 0;
      for (const f of await listParquets(opts.root, only)) {
        try {
          total += Number((await parquetMetadataAsync(await asyncBufferFromFile(f))).num_rows);
        } catch {
          return undefined;
        }
      }
      return total;
    },
    async *read(opts: ReadOptions): AsyncGenerator<ReadItem> {
      const base = datasetBaseDir(opts.root);
      const files = await listParquets(opts.root, only);
      const progress = new ProgressTicker(opts.onProgress, files.length);
      for (let unit = 0; unit < files.length; unit++) {
        if (unit < (opts.startUnit ?? 0)) {
          progress.unitsDone++;
          continue;
        }
        opts.signal?.throwIfAborted();
        for await (const record of readParquetFile(base, files[unit]!, common.maxPixels))
          yield { record, unit };
        progress.unitDone();
      }
    },
  };
}
