// What every core service needs: the database, the job runner, the workspace folder.
import path from 'node:path';
import { JobRunner } from './jobs/runner';
import { openDatabase, type Db } from './store/db';

export interface CoreContext {
  db: Db;
  jobs: JobRunner;
  /** Folder for the index, caches and default outputs. Never a user's dataset folder. */
  workspace: string;
}

export function openCore(workspace: string): CoreContext {
  const ws = path.resolve(workspace);
  const db = openDatabase(path.join(ws, 'tldr-studio.db'));
  return { db, jobs: new JobRunner(db), workspace: ws };
}

export async function closeCore(ctx: CoreContext): Promise<void> {
  await ctx.jobs.shutdown();
  ctx.db.close();
}
