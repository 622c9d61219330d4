import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh temp folder, removed by the returned cleanup. */
export function tempDir(prefix = 'tldr-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The repository root (tests run from anywhere). */
export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** ../shared/data beside the repository, where the real image-caption data lives. */
export const sharedData = path.resolve(repoRoot, '..', 'shared', 'data');
