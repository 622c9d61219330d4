// One image file named by a dataset (a json field, a csv cell, a folder entry): confine
// it to the base folder, then read its size from the header.
import { open } from 'node:fs/promises';
import { PathEscapeError, resolveInside } from '../util/paths';
import { relativeTo } from './base-dir';
import { messageOf, pairError, type PairError } from './errors';
import { pixelLimitError, sizeOfImageBytes } from './image-probe';
import type { ImageRef } from './types';

export interface ImageFacts {
  image: ImageRef;
  width?: number | undefined;
  height?: number | undefined;
  bytes?: number | undefined;
  mtimeMs?: number | undefined;
  error?: PairError | undefined;
}

/** Normalises a path written in a dataset file: '\' to '/', leading './' dropped. */
export function cleanDatasetPath(p: string): string {
  let s = p.trim().replace(/\\/g, '/');
  while (s.startsWith('./')) s = s.slice(2);
  return s;
}

/**
 * Resolves `rel` inside `base` and reads its header. Never throws for a bad image: the
 * problem comes back as `error` (path_escape, missing_image, unreadable_image,
 * corrupt_image, image_too_large).
 */
export async function describeImageFile(base: string, rel: string, maxPixels: number): Promise<ImageFacts> {
  const clean = cleanDatasetPath(rel);
  if (clean === '') return { image: { kind: 'none' }, error: pairError('missing_image', 'empty image path') };
  let abs: string;
  try {
    abs = resolveInside(base, clean);
  } catch (e) {
    if (e instanceof PathEscapeError) {
      return {
        image: { kind: 'none' },
        error: pairError('path_escape', `image path "${rel}" leaves the dataset folder`),
      };
    }
    throw e;
  }
  const image: ImageRef = { kind: 'file', path: relativeTo(base, abs) };
  let fh;
  try {
    fh = await open(abs, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return { image, error: pairError('missing_image', `image ${image.path} not found in ${base}`) };
    }
    return {
      image,
      error: pairError('unreadable_image', `image ${image.path} cannot be opened: ${messageOf(e)}`),
    };
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return { image, error: pairError('missing_image', `${image.path} is not a file`) };
    const bytes = st.size;
    const mtimeMs = st.mtimeMs;
    const handle = fh;
    const size = await sizeOfImageBytes(
      bytes,
      async (n) => {
        const buf = Buffer.allocUnsafe(n);
        const { bytesRead } = await handle.read(buf, 0, n, 0);
        return buf.subarray(0, bytesRead);
      },
      async () => abs,
    );
    if (!size) {
      const why = bytes === 0 ? 'is empty' : 'has no readable image header (corrupt or not an image)';
      return { image, bytes, mtimeMs, error: pairError('corrupt_image', `${image.path} ${why}`) };
    }
    return {
      image,
      bytes,
      mtimeMs,
      width: size.width,
      height: size.height,
      error: pixelLimitError(size, maxPixels, image.path),
    };
  } catch (e) {
    return {
      image,
      error: pairError('unreadable_image', `image ${image.path} cannot be read: ${messageOf(e)}`),
    };
  } finally {
    await fh.close();
  }
}

/**
 * Remembers the facts of recently described images: multi-caption sources name one image
 * five times in a row, and its header should be read once.
 */
export class ImageFactsCache {
  private readonly map = new Map<string, Promise<ImageFacts>>();
  constructor(
    private readonly base: string,
    private readonly maxPixels: number,
    private readonly capacity = 256,
  ) {}

  get(rel: string): Promise<ImageFacts> {
    const hit = this.map.get(rel);
    if (hit) return hit;
    const p = describeImageFile(this.base, rel, this.maxPixels);
    this.map.set(rel, p);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
    return p;
  }
}
