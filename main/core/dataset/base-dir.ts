// ImageRef paths are relative to one folder per dataset: the root itself when a folder
// was dropped, the folder holding it when a single file was dropped.
import { statSync } from 'node:fs';
import path from 'node:path';

/** The folder that ImageRef paths of a dataset rooted at `root` are relative to. */
export function datasetBaseDir(root: string): string {
  const abs = path.resolve(root);
  try {
    return statSync(abs).isDirectory() ? abs : path.dirname(abs);
  } catch {
    return abs;
  }
}

/** '/'-separated path of `abs` relative to `base`. */
export function relativeTo(base: string, abs: string): string {
  return path.relative(base, abs).split(path.sep).join('/');
}
