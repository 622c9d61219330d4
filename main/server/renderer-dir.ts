// Where the built renderer is, seen from this module: the source tree (tsx) or a build.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function defaultRendererDir(from: string = import.meta.url): string {
  const here = path.dirname(fileURLToPath(from));
  // main/<dir>/x.ts → <repo>/out/renderer; out/<dir>/x.js → out/renderer.
  const candidates = [path.resolve(here, '../../out/renderer'), path.resolve(here, '../renderer')];
  return candidates.find((d) => existsSync(path.join(d, 'index.html'))) ?? candidates[0]!;
}
