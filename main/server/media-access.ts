// Which image file a media request may read. Shared by the headless server's /media
// routes and the Electron app's tldr-media:// protocol, so both confine the same way:
// only files inside an indexed dataset's folder or the workspace, symlinks resolved.
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DatasetDto, PairDto } from '../api/schemas';
import { datasetBaseDir } from '../core/dataset/base-dir';
import { PathEscapeError, resolveInside } from '../core/util/paths';

/** A contract call that may name an operation the contract does not declare yet. */
export type CallFn = (op: string, input: unknown) => Promise<unknown>;

export class MediaError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 415 | 500,
    message: string,
  ) {
    super(message);
  }
}

export interface MediaFile {
  path: string;
  contentType: string;
  size: number;
}

/** What a browser can show. SVG is left out on purpose: it can carry script. */
export const IMAGE_TYPES: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.bmp': 'image/bmp',
  '.avif': 'image/avif',
};

export interface ThumbRequest {
  datasetId: number;
  seq: number;
  size: number;
}

function intParam(
  params: URLSearchParams,
  name: string,
  min: number,
  max: number,
  fallback?: number,
): number {
  const raw = params.get(name);
  if (raw === null || raw === '') {
    if (fallback !== undefined) return fallback;
    throw new MediaError(400, `${name} is required`);
  }
  if (!/^\d{1,12}$/.test(raw)) throw new MediaError(400, `${name} must be a non-negative integer`);
  const n = Number(raw);
  if (n < min || n > max) throw new MediaError(400, `${name} must be between ${min} and ${max}`);
  return n;
}

export function parseThumbRequest(params: URLSearchParams): ThumbRequest {
  return {
    datasetId: intParam(params, 'dataset', 1, Number.MAX_SAFE_INTEGER),
    seq: intParam(params, 'seq', 0, Number.MAX_SAFE_INTEGER),
    size: intParam(params, 'size', 16, 2048, 256),
  };
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

async function realOrSelf(p: string): Promise<string> {
  try {
    return await realpath(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * Refuses a requested path before touching the disk: relative paths, `..` segments, and
 * any percent-encoding left after the URL was decoded once (a double-encoded `..`).
 */
export function checkRequestedPath(requested: string): string {
  if (!requested) throw new MediaError(400, 'path is required');
  if (requested.length > 4096) throw new MediaError(400, 'path too long');
  if (requested.includes('\0')) throw new MediaError(400, 'path contains a NUL byte');
  if (/%[0-9a-f]{2}/i.test(requested))
    throw new MediaError(400, 'percent-encoded characters are not allowed in a media path');
  if (!path.isAbsolute(requested)) throw new MediaError(400, 'path must be absolute');
  if (requested.split(/[\\/]+/).includes('..')) throw new MediaError(403, 'path leaves the allowed folders');
  return path.resolve(requested);
}

async function imageFile(abs: string): Promise<MediaFile> {
  const contentType = IMAGE_TYPES[path.extname(abs).toLowerCase()];
  if (!contentType) throw new MediaError(415, 'not an image type this app serves');
  let st;
  try {
    st = await stat(abs);
  } catch {
    throw new MediaError(404, 'no such file');
  }
  if (!st.isFile()) throw new MediaError(404, 'not a file');
  return { path: abs, contentType, size: st.size };
}

function errorCode(e: unknown): string | undefined {
  return e && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

export interface MediaAccess {
  thumbnail(req: ThumbRequest): Promise<MediaFile>;
  file(requested: string): Promise<MediaFile>;
}

export function createMediaAccess(call: CallFn): MediaAccess {
  let workspace: Promise<string> | undefined;
  const getWorkspace = () =>
    (workspace ??= (call('engine.status', {}) as Promise<{ workspace: string }>)
      .then((s) => s.workspace)
      .catch((e: unknown) => {
        workspace = undefined;
        throw e;
      }));

  async function datasets(): Promise<DatasetDto[]> {
    return (await call('datasets.list', {})) as DatasetDto[];
  }

  /** Real paths of the folders media may come from (asked each time: datasets come and go). */
  async function allowedRoots(): Promise<string[]> {
    const roots = [await getWorkspace(), ...(await datasets()).map((d) => datasetBaseDir(d.root))];
    return Promise.all(roots.map(realOrSelf));
  }

  async function confined(abs: string, roots: string[]): Promise<string> {
    const real = await realOrSelf(abs);
    if (!roots.some((r) => inside(r, real))) throw new MediaError(403, 'path leaves the allowed folders');
    return abs;
  }

  /** Until the engine has `media.thumbnail`: the original file of a file-backed pair. */
  async function originalOf(req: ThumbRequest): Promise<MediaFile> {
    const page = (await call('datasets.pairs', { datasetId: req.datasetId, offset: req.seq, limit: 1 })) as {
      items: PairDto[];
    };
    const pair = page.items[0];
    if (!pair || pair.seq !== req.seq)
      throw new MediaError(404, `no pair ${req.seq} in dataset ${req.datasetId}`);
    if (pair.image.kind !== 'file')
      throw new MediaError(404, `no thumbnail for a ${pair.image.kind} image yet`);
    const ds = (await datasets()).find((d) => d.id === req.datasetId);
    if (!ds) throw new MediaError(404, `no dataset ${req.datasetId}`);
    const base = datasetBaseDir(ds.root);
    let abs: string;
    try {
      abs = resolveInside(base, pair.image.path);
    } catch (e) {
      if (e instanceof PathEscapeError)
        throw new MediaError(403, 'the indexed image path leaves its dataset');
      throw e;
    }
    return imageFile(await confined(abs, [await realOrSelf(base)]));
  }

  return {
    async thumbnail(req) {
      let out: { path?: unknown };
      try {
        out = (await call('media.thumbnail', { datasetId: req.datasetId, seq: req.seq, size: req.size })) as {
          path?: unknown;
        };
      } catch (e) {
        const code = errorCode(e);
        if (code === 'unknown_operation') return originalOf(req);
        if (code === 'not_found') throw new MediaError(404, e instanceof Error ? e.message : 'not found');
        if (code === 'invalid_input')
          throw new MediaError(400, e instanceof Error ? e.message : 'invalid input');
        throw new MediaError(500, e instanceof Error ? e.message : String(e));
      }
      if (typeof out.path !== 'string' || !path.isAbsolute(out.path))
        throw new MediaError(500, 'the engine gave no thumbnail path');
      // The engine writes thumbnails into the workspace cache; anything else is a bug.
      return imageFile(await confined(out.path, [await realOrSelf(await getWorkspace())]));
    },

    async file(requested) {
      const abs = checkRequestedPath(requested);
      // `..` is already refused; what is left is a symlink leading out of every root.
      const roots = await allowedRoots();
      return imageFile(await confined(abs, roots));
    },
  };
}
