// Directory listing for readers and detection: sorted (natural order) so units come in a
// fixed order across runs, hidden entries skipped, symlinks reported rather than followed
// blindly (a link may leave the dataset folder or loop).
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { compareNatural } from './natural-sort';

export interface DirListing {
  files: string[];
  dirs: string[];
  /** Symbolic links (to anything); the caller decides whether to follow them. */
  links: string[];
}

/** Names in `dir`, split by kind, each list in natural order. Hidden names are skipped. */
export async function listDir(dir: string): Promise<DirListing> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return { files: [], dirs: [], links: [] };
  }
  const out: DirListing = { files: [], dirs: [], links: [] };
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    if (e.isSymbolicLink()) out.links.push(e.name);
    else if (e.isDirectory()) out.dirs.push(e.name);
    else if (e.isFile()) out.files.push(e.name);
  }
  out.files.sort(compareNatural);
  out.dirs.sort(compareNatural);
  out.links.sort(compareNatural);
  return out;
}

/**
 * Files under `root` (relative, '/'-separated) whose name passes `accept`, depth-first in
 * natural order, at most `maxDepth` folders deep. Symlinks are not followed.
 */
export async function findFiles(
  root: string,
  accept: (name: string) => boolean,
  maxDepth = 4,
): Promise<string[]> {
  const out: string[] = [];
  const visit = async (rel: string, depth: number): Promise<void> => {
    const listing = await listDir(rel ? path.join(root, rel) : root);
    for (const f of listing.files) if (accept(f)) out.push(rel ? `${rel}/${f}` : f);
    if (depth >= maxDepth) return;
    for (const d of listing.dirs) await visit(rel ? `${rel}/${d}` : d, depth + 1);
  };
  await visit('', 0);
  return out;
}
