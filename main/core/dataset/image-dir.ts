// Caption files name images relative to a folder they do not state (COCO's train2014/,
// Flickr's Images/, LLaVA's images/). Rather than guess, probe: the folder where most of a
// sample of the named images exist wins, the base folder first on ties.
import { access } from 'node:fs/promises';
import path from 'node:path';
import { listDir } from './fs-walk';
import { cleanDatasetPath } from './image-file';

export interface ImageDirChoice {
  /** Relative to the base folder, '/'-separated; '' is the base itself. */
  dir: string;
  /** How many of the probed names exist there. */
  found: number;
  probed: number;
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

/** Folders to try: the base, `hints`, then subfolders two levels down (bounded). */
async function candidateDirs(base: string, hints: readonly string[]): Promise<string[]> {
  const out = ['', ...hints];
  const level1 = (await listDir(base)).dirs;
  for (const d of level1) out.push(d);
  for (const d of level1.slice(0, 50)) {
    // Shard-like folders of thousands of images are not image roots of their own.
    const sub = (await listDir(path.join(base, d))).dirs.slice(0, 20);
    for (const s of sub) out.push(`${d}/${s}`);
  }
  return [...new Set(out)].slice(0, 300);
}

/** Picks the folder under `base` that the relative image paths `names` are relative to. */
export async function findImageDir(
  base: string,
  names: readonly string[],
  hints: readonly string[] = [],
): Promise<ImageDirChoice> {
  const probe = [
    ...new Set(names.map(cleanDatasetPath).filter((n) => n && !n.startsWith('/') && !n.includes('..'))),
  ].slice(0, 12);
  if (probe.length === 0) return { dir: '', found: 0, probed: 0 };
  let best: ImageDirChoice = { dir: '', found: -1, probed: probe.length };
  for (const dir of await candidateDirs(base, hints)) {
    let found = 0;
    for (const n of probe) if (await exists(path.join(base, dir, n))) found++;
    if (found > best.found) best = { dir, found, probed: probe.length };
    if (found === probe.length) break;
  }
  return best.found <= 0 ? { dir: '', found: 0, probed: probe.length } : best;
}

/** `dir` + `name` as a path relative to the base ('/'-separated). */
export function joinRel(dir: string, name: string): string {
  const clean = cleanDatasetPath(name);
  // Absolute names stay absolute so that confinement refuses them (path_escape).
  if (clean.startsWith('/') || /^[a-zA-Z]:\//.test(clean)) return clean;
  return dir ? `${dir}/${clean}` : clean;
}
