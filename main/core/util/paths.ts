// Confinement: every path that comes from a dataset file (a json "image" field, a csv
// cell) or from a client is resolved against a root and must stay inside it.
import { realpathSync } from 'node:fs';
import path from 'node:path';

export class PathEscapeError extends Error {
  readonly kind = 'path_escape' as const;
  constructor(
    readonly requested: string,
    readonly root: string,
  ) {
    super(`path "${requested}" leaves the allowed folder ${root}`);
  }
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Resolves `rel` (a '/'-separated path from a dataset file, or a client request) inside
 * `root`. Absolute paths, `..` that climbs out, and symlinks whose target leaves the root
 * are refused. A path that does not exist yet is checked lexically only.
 */
export function resolveInside(root: string, rel: string): string {
  if (rel.includes('\0')) throw new PathEscapeError(rel, root);
  if (path.isAbsolute(rel) || /^[a-zA-Z]:[\\/]/.test(rel) || rel.startsWith('\\\\')) {
    throw new PathEscapeError(rel, root);
  }
  const absRoot = path.resolve(root);
  const target = path.resolve(absRoot, rel);
  if (!isInside(absRoot, target)) throw new PathEscapeError(rel, root);
  let realTarget: string;
  try {
    realTarget = realpathSync(target);
  } catch {
    return target; // does not exist: the caller reports it as missing
  }
  const realRoot = realpathSync(absRoot);
  if (!isInside(realRoot, realTarget)) throw new PathEscapeError(rel, root);
  return target;
}

/** True when `p` (absolute) lies inside one of `roots`, symlinks resolved. */
export function isWithinAny(p: string, roots: readonly string[]): boolean {
  let real: string;
  try {
    real = realpathSync(p);
  } catch {
    real = path.resolve(p);
  }
  return roots.some((r) => {
    let rr: string;
    try {
      rr = realpathSync(r);
    } catch {
      rr = path.resolve(r);
    }
    return isInside(rr, real);
  });
}

/** '/'-separated path of `abs` relative to `root`, as stored in the index. */
export function toRelative(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}
