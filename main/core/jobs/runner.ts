// Long jobs: persisted in the jobs table with their checkpoint, so a job that was
// cancelled, failed or whose process died resumes where it stopped.
import { EventEmitter } from 'node:events';
import type { Db } from '../store/db';
import { ProgressMeter, type ProgressSnapshot } from './progress';

export type JobState = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface JobRecord {
  id: number;
  kind: string;
  datasetId: number | null;
  params: unknown;
  state: JobState;
  checkpoint: unknown;
  progress: ProgressSnapshot;
  error: string | null;
  result: unknown;
  createdAt: string;
  updatedAt: string;
}

export class JobCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

export interface JobContext {
  jobId: number;
  signal: AbortSignal;
  /** The checkpoint saved by an earlier, unfinished run of the same job, or undefined. */
  checkpoint: unknown;
  /** Saves a checkpoint. Call it inside the same transaction as the data it describes. */
  saveCheckpoint(cp: unknown): void;
  progress(p: Partial<ProgressSnapshot> & { done: number }): void;
  /** Throws JobCancelled when the job was cancelled. Call between batches. */
  throwIfCancelled(): void;
}

interface JobRow {
  id: number;
  kind: string;
  dataset_id: number | null;
  params: string;
  state: JobState;
  checkpoint: string;
  progress: string;
  error: string | null;
  result: string | null;
  created_at: string;
  updated_at: string;
}

function toRecord(r: JobRow): JobRecord {
  return {
    id: r.id,
    kind: r.kind,
    datasetId: r.dataset_id,
    params: JSON.parse(r.params),
    state: r.state,
    checkpoint: JSON.parse(r.checkpoint),
    progress: JSON.parse(r.progress),
    error: r.error,
    result: r.result === null ? undefined : JSON.parse(r.result),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const PROGRESS_EVENT_INTERVAL_MS = 100;

export class JobRunner extends EventEmitter<{ job: [JobRecord] }> {
  private readonly controllers = new Map<number, AbortController>();
  private readonly finished = new Map<number, Promise<JobRecord>>();

  constructor(private readonly db: Db) {
    super();
    // Jobs still "running" belong to a process that died: they resume on the next start.
    db.prepare(`UPDATE jobs SET state = 'interrupted' WHERE state = 'running'`).run();
  }

  get(id: number): JobRecord | undefined {
    const r = this.db.prepare(`SELECT * FROM jobs WHERE id = ?`).get(id) as JobRow | undefined;
    return r && toRecord(r);
  }

  list(limit = 200): JobRecord[] {
    const rows = this.db.prepare(`SELECT * FROM jobs ORDER BY id DESC LIMIT ?`).all(limit) as JobRow[];
    return rows.map(toRecord);
  }

  /** The unfinished job of this kind on this dataset whose checkpoint a new run continues. */
  private findResumable(kind: string, datasetId: number | null, resumeKey: string): JobRow | undefined {
    return this.db
      .prepare(
        `SELECT * FROM jobs WHERE kind = ? AND dataset_id IS ? AND state IN ('interrupted','cancelled','failed','running')
         AND json_extract(params, '$.resumeKey') IS ? ORDER BY id DESC LIMIT 1`,
      )
      .get(kind, datasetId, resumeKey) as JobRow | undefined;
  }

  isRunning(id: number): boolean {
    return this.controllers.has(id);
  }

  /**
   * Starts `fn` as a job and returns its record at once. A job with the same kind,
   * dataset and resumeKey that did not finish is continued with its checkpoint.
   */
  start<T>(
    kind: string,
    datasetId: number | null,
    params: { resumeKey?: string } & Record<string, unknown>,
    fn: (ctx: JobContext) => Promise<T>,
  ): JobRecord {
    const now = new Date().toISOString();
    const resumeKey = params.resumeKey ?? '';
    const old = this.findResumable(kind, datasetId, resumeKey);
    if (old && this.controllers.has(old.id)) return toRecord(old); // already running here
    let id: number;
    let checkpoint: unknown;
    const p = JSON.stringify({ ...params, resumeKey });
    if (old) {
      id = old.id;
      checkpoint = JSON.parse(old.checkpoint);
      this.db
        .prepare(`UPDATE jobs SET state='running', error=NULL, params=?, updated_at=? WHERE id=?`)
        .run(p, now, id);
    } else {
      id = Number(
        this.db
          .prepare(
            `INSERT INTO jobs (kind, dataset_id, params, state, created_at, updated_at) VALUES (?,?,?,'running',?,?)`,
          )
          .run(kind, datasetId, p, now, now).lastInsertRowid,
      );
      checkpoint = undefined;
    }
    const controller = new AbortController();
    this.controllers.set(id, controller);
    const meter = new ProgressMeter();
    let lastEmit = 0;
    let progress: ProgressSnapshot = { stage: kind, done: 0 };
    const saveProgress = this.db.prepare(`UPDATE jobs SET progress=?, updated_at=? WHERE id=?`);
    const ctx: JobContext = {
      jobId: id,
      signal: controller.signal,
      checkpoint: checkpoint && Object.keys(checkpoint as object).length ? checkpoint : undefined,
      saveCheckpoint: (cp) => {
        this.db
          .prepare(`UPDATE jobs SET checkpoint=?, updated_at=? WHERE id=?`)
          .run(JSON.stringify(cp), new Date().toISOString(), id);
      },
      progress: (p) => {
        const stage = p.stage ?? progress.stage;
        if (stage !== progress.stage) meter.reset(p.done);
        const total = p.total ?? (stage === progress.stage ? progress.total : undefined);
        const { rate, etaSeconds } = meter.update(p.done, total);
        progress = { stage, done: p.done };
        if (total !== undefined) progress.total = total;
        if (rate !== undefined) progress.rate = rate;
        if (etaSeconds !== undefined) progress.etaSeconds = etaSeconds;
        if (p.message !== undefined) progress.message = p.message;
        const t = Date.now();
        if (t - lastEmit >= PROGRESS_EVENT_INTERVAL_MS || (total !== undefined && p.done >= total)) {
          lastEmit = t;
          saveProgress.run(JSON.stringify(progress), new Date().toISOString(), id);
          this.emitJob(id);
        }
      },
      throwIfCancelled: () => {
        if (controller.signal.aborted) throw new JobCancelled();
      },
    };
    this.emitJob(id);
    const done = (async () => {
      let state: JobState = 'done';
      let error: string | null = null;
      let result: string | null = null;
      try {
        const r = await fn(ctx);
        result = r === undefined ? null : JSON.stringify(r);
      } catch (e) {
        if (e instanceof JobCancelled || controller.signal.aborted) state = 'cancelled';
        else {
          state = 'failed';
          error = e instanceof Error ? e.message : String(e);
        }
      } finally {
        this.controllers.delete(id);
      }
      this.db
        .prepare(`UPDATE jobs SET state=?, error=?, result=?, progress=?, updated_at=? WHERE id=?`)
        .run(state, error, result, JSON.stringify(progress), new Date().toISOString(), id);
      return this.emitJob(id)!;
    })();
    this.finished.set(id, done);
    return this.get(id)!;
  }

  cancel(id: number): boolean {
    const c = this.controllers.get(id);
    if (!c) return false;
    c.abort();
    return true;
  }

  /** Resolves when the job ends (at once for a job that is not running here). */
  async wait(id: number): Promise<JobRecord> {
    const p = this.finished.get(id);
    if (p) return p;
    const r = this.get(id);
    if (!r) throw new Error(`no job ${id}`);
    return r;
  }

  /** Cancels every running job and waits for each to reach its checkpoint. */
  async shutdown(): Promise<void> {
    const running = [...this.controllers.keys()];
    for (const id of running) this.cancel(id);
    await Promise.allSettled(running.map((id) => this.wait(id)));
  }

  private emitJob(id: number): JobRecord | undefined {
    const r = this.get(id);
    if (r) this.emit('job', r);
    return r;
  }
}
