// What every core service needs: the database, the job runner, the workspace folder.
import path from 'node:path';
import { JobRunner } from './jobs/runner';
import { openDatabase, type Db } from './store/db';
import { sweepDeadStaging } from './export/staging';
import { failInterruptedRuns } from './store/runs';

export interface CoreContext {
  db: Db;
  jobs: JobRunner;
  /** Folder for the index, caches and default outputs. Never a user's dataset folder. */
  workspace: string;
}

export function openCore(workspace: string): CoreContext {
  const ws = path.resolve(workspace);
  const db = openDatabase(path.join(ws, 'tldr-studio.db'));
  // One engine per workspace: what was still running belongs to a process that died.
  failInterruptedRuns(db);
  const jobs = new JobRunner(db); // marks the dead process's jobs interrupted
  sweepDeadStaging(db, ws);
  return { db, jobs, workspace: ws };
}

export async function closeCore(ctx: CoreContext): Promise<void> {
  await ctx.jobs.shutdown();
  ctx.db.close();
}
