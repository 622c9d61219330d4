// One image cell of a parquet file (img2dataset parquet output, HF datasets' {bytes, path}
// structs). Only the page (with an offset index) or the column chunk holding the row is read.
import { open, type FileHandle } from 'node:fs/promises';
import { parquetMetadataAsync, parquetReadObjects, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { fsImageError, ImageError } from './errors';
import { readRange } from './file-range';

// Footers are re-parsed for every cell otherwise; a few files are open at a time in practice.
const METADATA_CACHE_SIZE = 16;
const metadataCache = new Map<string, FileMetaData>();

function fileBuffer(handle: FileHandle, byteLength: number): AsyncBuffer {
  return {
    byteLength,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const stop = end ?? byteLength;
      const buf = await readRange(handle, start, Math.max(0, stop - start));
      return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    },
  };
}

async function cachedMetadata(key: string, file: AsyncBuffer): Promise<FileMetaData> {
  const hit = metadataCache.get(key);
  if (hit) {
    metadataCache.delete(key); // refresh LRU position
    metadataCache.set(key, hit);
    return hit;
  }
  const meta = await parquetMetadataAsync(file);
  metadataCache.set(key, meta);
  if (metadataCache.size > METADATA_CACHE_SIZE) {
    const oldest = metadataCache.keys().next().value;
    if (oldest !== undefined) metadataCache.delete(oldest);
  }
  return meta;
}

/** Image bytes out of a cell value: raw bytes, or a struct with a `bytes` field. */
function cellBytes(value: unknown, fieldPath: readonly string[]): Uint8Array | null | undefined {
  let v = value;
  for (const f of fieldPath) {
    if (v === null || v === undefined) return null;
    if (typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[f];
  }
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'object' && 'bytes' in v) return cellBytes((v as { bytes: unknown }).bytes, []);
  return undefined;
}

/**
 * Reads the bytes in `column` (a top-level column, or `struct.field`) of `row`.
 * `abs` is an already confined absolute path.
 */
export async function readParquetCell(
  abs: string,
  where: string,
  row: number,
  column: string,
  maxBytes: number,
): Promise<Buffer> {
  let handle: FileHandle;
  try {
    handle = await open(abs, 'r');
  } catch (e) {
    throw fsImageError(e, where);
  }
  try {
    const st = await handle.stat();
    const file = fileBuffer(handle, st.size);
    let meta: FileMetaData;
    try {
      meta = await cachedMetadata(`${abs}\0${st.size}\0${st.mtimeMs}`, file);
    } catch (e) {
      throw new ImageError('unreadable_image', `${where} is not a readable parquet file: ${errText(e)}`, {
        cause: e,
      });
    }
    const rows = Number(meta.num_rows);
    if (!Number.isInteger(row) || row < 0 || row >= rows) {
      throw new ImageError('missing_image', `${where} has ${rows} rows; row ${row} does not exist`);
    }
    const [top, ...fieldPath] = column.split('.');
    const topNames = meta.schema.slice(1).map((s) => s.name);
    if (top === undefined || !topNames.includes(top)) {
      throw new ImageError('unreadable_image', `${where} has no column "${column}"`);
    }
    let records: Record<string, unknown>[];
    try {
      records = await parquetReadObjects({
        file,
        metadata: meta,
        columns: [top],
        rowStart: row,
        rowEnd: row + 1,
        utf8: false, // image bytes must stay bytes
        useOffsetIndex: true,
      });
    } catch (e) {
      throw new ImageError('unreadable_image', `${where} row ${row} cannot be read: ${errText(e)}`, {
        cause: e,
      });
    }
    const bytes = cellBytes(records[0]?.[top], fieldPath);
    if (bytes === null)
      throw new ImageError('missing_image', `${where} row ${row} has no image in "${column}"`);
    if (bytes === undefined) {
      throw new ImageError('unreadable_image', `${where} column "${column}" does not hold image bytes`);
    }
    if (bytes.byteLength > maxBytes) {
      throw new ImageError(
        'image_too_large',
        `${where} row ${row}: ${bytes.byteLength} bytes exceeds ${maxBytes}`,
      );
    }
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } finally {
    await handle.close();
  }
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
