// Thumbnail cache: one WebP per (image reference, size) under the workspace, written
// atomically (temp file + rename) so concurrent callers never see a partial file.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ImageRef } from '../dataset/types';
import { PathEscapeError, resolveInside } from '../util/paths';
import { sharpImageError, openImage } from './decode';
import { ImageError } from './errors';
import { readImageBytes } from './read-bytes';

export const DEFAULT_THUMBNAIL_SIZE = 256;
const WEBP_QUALITY = 80;

export interface ThumbnailRequest {
  workspace: string;
  datasetId: string;
  /** Dataset root the reference is relative to. */
  root: string;
  ref: ImageRef;
  /** Longest side in pixels; smaller images are not enlarged. */
  size?: number;
  maxPixels?: number;
}

/** Ref fields in a fixed order, so equal references hash equally whatever their key order. */
function canonicalRef(ref: ImageRef): unknown[] {
  switch (ref.kind) {
    case 'file':
      return ['file', ref.path];
    case 'tar':
      return ['tar', ref.path, ref.member, ref.offset, ref.size];
    case 'parquet':
      return ['parquet', ref.path, ref.row, ref.column];
    case 'url':
      return ['url', ref.url];
    case 'none':
      return ['none'];
  }
}

/** Hex digest naming the cached thumbnail of `ref` at `size`. */
export function thumbnailHash(ref: ImageRef, size: number): string {
  return createHash('sha256')
    .update(JSON.stringify([...canonicalRef(ref), size]))
    .digest('hex')
    .slice(0, 32);
}

function checkDatasetId(datasetId: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/u.test(datasetId)) {
    throw new ImageError('path_escape', `dataset id "${datasetId}" is not a plain folder name`);
  }
}

function confineToWorkspace(workspace: string, rel: string): string {
  try {
    return resolveInside(workspace, rel);
  } catch (e) {
    if (e instanceof PathEscapeError) throw new ImageError('path_escape', e.message, { cause: e });
    throw e;
  }
}

/**
 * Absolute path of the cached thumbnail: `<workspace>/thumbs/<datasetId>/<shard>/<hash>.webp`,
 * shard = the hash's first two hex digits. Throws ImageError 'path_escape' if it would leave
 * the workspace (bad dataset id, symlinked folders).
 */
export function thumbnailPath(
  workspace: string,
  datasetId: string,
  ref: ImageRef,
  size = DEFAULT_THUMBNAIL_SIZE,
): string {
  checkDatasetId(datasetId);
  const hash = thumbnailHash(ref, size);
  return confineToWorkspace(workspace, `thumbs/${datasetId}/${hash.slice(0, 2)}/${hash}.webp`);
}

async function isCached(file: string): Promise<boolean> {
  try {
    const st = await stat(file);
    return st.isFile() && st.size > 0;
  } catch {
    return false;
  }
}

/** Renders the thumbnail bytes of `buf` (longest side `size`, white under transparency). */
export async function renderThumbnail(buf: Uint8Array, size: number, maxPixels?: number): Promise<Buffer> {
  const { pipeline } = await openImage(buf, maxPixels);
  try {
    return await pipeline
      .resize(size, size, { fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .webp({ quality: WEBP_QUALITY })
      .toBuffer();
  } catch (e) {
    throw sharpImageError(e);
  }
}

// Callers in this process asking for the same thumbnail share one render.
const inFlight = new Map<string, Promise<string>>();

async function renderToCache(req: ThumbnailRequest, file: string, size: number): Promise<string> {
  if (await isCached(file)) return file;
  const bytes = await readImageBytes(req.root, req.ref);
  const webp = await renderThumbnail(bytes, size, req.maxPixels);
  // Check every existing folder on the way (a symlinked thumbs/ must not lead out)
  // before creating any of them.
  const segments = path.relative(req.workspace, path.dirname(file)).split(path.sep);
  let dir = req.workspace;
  for (let i = 1; i <= segments.length; i++) {
    dir = confineToWorkspace(req.workspace, segments.slice(0, i).join('/'));
  }
  await mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, webp, { flag: 'wx' });
    await rename(tmp, file); // atomic; a concurrent writer's identical file is simply replaced
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  return file;
}

/**
 * Path of a WebP thumbnail of `ref`, rendered on first use and cached in the workspace.
 * Throws ImageError like readImageBytes/decodeImage when the image cannot be shown.
 */
export async function getThumbnail(req: ThumbnailRequest): Promise<string> {
  const size = req.size ?? DEFAULT_THUMBNAIL_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > 4096) {
    throw new RangeError(`thumbnail size ${size} out of range`);
  }
  const file = thumbnailPath(req.workspace, req.datasetId, req.ref, size);
  const pending = inFlight.get(file);
  if (pending) return pending;
  const job = renderToCache(req, file, size).finally(() => inFlight.delete(file));
  inFlight.set(file, job);
  return job;
}
