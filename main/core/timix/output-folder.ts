// Exports go to a new folder and never overwrite (ARCHITECTURE.md): everything is written
// under a temporary sibling, renamed to the final name only when complete, so a crash or
// a cancel never leaves a half-written folder under the name the user asked for.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { UserInputError } from '../ingest/index-dataset';

export interface StagedFolder {
  /** Where to write now. */
  dir: string;
  /** The name it gets on commit. */
  final: string;
  /** Renames `dir` to `final` (refuses if `final` appeared meanwhile). */
  commit(): Promise<string>;
  /** Removes `dir`. */
  discard(): Promise<void>;
}

export async function stageOutputFolder(out: string): Promise<StagedFolder> {
  const final = path.resolve(out);
  if (existsSync(final))
    throw new UserInputError(`${final} exists: choose a new folder (exports never overwrite)`);
  await mkdir(path.dirname(final), { recursive: true });
  const dir = `${final}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  await mkdir(dir);
  return {
    dir,
    final,
    async commit() {
      // rename() would silently replace an empty folder created meanwhile.
      if (existsSync(final))
        throw new UserInputError(`${final} appeared while exporting; the result is in ${dir}`);
      await rename(dir, final);
      return final;
    },
    async discard() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
