// ImageRef → bytes. Every path is confined to the dataset root; containers (tar,
// parquet) are read in place at the indexed position.
import { open, type FileHandle } from 'node:fs/promises';
import { datasetBaseDir } from '../dataset/base-dir';
import type { ImageRef } from '../dataset/types';
import { PathEscapeError, resolveInside } from '../util/paths';
import { fsImageError, ImageError } from './errors';
import { readRange } from './file-range';
import { DEFAULT_MAX_IMAGE_BYTES } from './limits';
import { readParquetCell } from './parquet-cell';
import { TAR_BLOCK, tarHeaderProblem } from './tar-header';

export interface ReadImageOptions {
  /** Refuse images (files, members, cells) larger than this. */
  maxBytes?: number;
}

/** Resolves a dataset-relative path inside `root`, as an ImageError on escape. */
export function confine(root: string, rel: string): string {
  try {
    return resolveInside(root, rel);
  } catch (e) {
    if (e instanceof PathEscapeError) throw new ImageError('path_escape', e.message, { cause: e });
    throw e;
  }
}

async function openForRead(abs: string, where: string): Promise<FileHandle> {
  try {
    return await open(abs, 'r');
  } catch (e) {
    throw fsImageError(e, where);
  }
}

async function readWholeFile(abs: string, where: string, maxBytes: number): Promise<Buffer> {
  const handle = await openForRead(abs, where);
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new ImageError('unreadable_image', `${where} is not a regular file`);
    if (st.size > maxBytes) {
      throw new ImageError(
        'image_too_large',
        `${where} is ${st.size} bytes, more than the ${maxBytes} allowed`,
      );
    }
    return await readRange(handle, 0, st.size);
  } catch (e) {
    throw e instanceof ImageError ? e : fsImageError(e, where);
  } finally {
    await handle.close();
  }
}

async function readTarMember(
  abs: string,
  ref: Extract<ImageRef, { kind: 'tar' }>,
  maxBytes: number,
): Promise<Buffer> {
  const where = `${ref.path} member ${ref.member}`;
  const { offset, size } = ref;
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(size) || offset < TAR_BLOCK || size < 0) {
    throw new ImageError(
      'unreadable_image',
      `${where}: invalid offset ${offset} / size ${size} in the index`,
    );
  }
  if (size > maxBytes) {
    throw new ImageError('image_too_large', `${where} is ${size} bytes, more than the ${maxBytes} allowed`);
  }
  const handle = await openForRead(abs, ref.path);
  try {
    const st = await handle.stat();
    if (offset + size > st.size) {
      throw new ImageError(
        'truncated_archive',
        `${where} (bytes ${offset}–${offset + size}) extends past the end of the ${st.size}-byte archive`,
      );
    }
    // Header and data in one read: the header tells us the index still matches the file.
    const block = await readRange(handle, offset - TAR_BLOCK, TAR_BLOCK + size);
    if (block.length !== TAR_BLOCK + size) {
      throw new ImageError('truncated_archive', `${where}: the archive ended while reading the member`);
    }
    const problem = tarHeaderProblem(block.subarray(0, TAR_BLOCK), size);
    if (problem) {
      throw new ImageError(
        'unreadable_image',
        `${where}: ${problem} (the archive changed since it was indexed?)`,
      );
    }
    return block.subarray(TAR_BLOCK);
  } catch (e) {
    throw e instanceof ImageError ? e : fsImageError(e, ref.path);
  } finally {
    await handle.close();
  }
}

/**
 * The encoded bytes of the image `ref` points at. `root` is the dataset root: the folder
 * ref paths are relative to, or the single dataset file (captions.tsv, ...) inside it.
 * Throws ImageError: path_escape, missing_image, unreadable_image, image_too_large,
 * truncated_archive (tar member past the end of the file).
 */
export async function readImageBytes(
  root: string,
  ref: ImageRef,
  opts: ReadImageOptions = {},
): Promise<Buffer> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES;
  if (ref.kind === 'file' || ref.kind === 'tar' || ref.kind === 'parquet') root = datasetBaseDir(root);
  switch (ref.kind) {
    case 'file':
      return readWholeFile(confine(root, ref.path), ref.path, maxBytes);
    case 'tar':
      return readTarMember(confine(root, ref.path), ref, maxBytes);
    case 'parquet':
      return readParquetCell(confine(root, ref.path), ref.path, ref.row, ref.column, maxBytes);
    case 'url':
      throw new ImageError('missing_image', `the image is not on disk, only a URL is known (${ref.url})`);
    case 'none':
      throw new ImageError('missing_image', 'the image is not on disk: the record names no image');
  }
}
