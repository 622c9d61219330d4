// Statements for runs (one selection method applied to a dataset) and their per-pair results.
import type { Db } from './db';

export type RunState = 'running' | 'done' | 'failed';

export interface RunRow {
  id: number;
  datasetId: number;
  method: string;
  label: string;
  params: Record<string, unknown>;
  featureSetId: number | null;
  state: RunState;
  kept: number;
  eligible: number;
  stats: Record<string, unknown>;
  evaluation: unknown;
  createdAt: string;
  updatedAt: string;
}

interface Raw {
  id: number;
  dataset_id: number;
  method: string;
  label: string;
  params: string;
  feature_set_id: number | null;
  state: RunState;
  kept: number;
  eligible: number;
  stats: string;
  evaluation: string | null;
  created_at: string;
  updated_at: string;
}

function toRow(r: Raw): RunRow {
  return {
    id: r.id,
    datasetId: r.dataset_id,
    method: r.method,
    label: r.label,
    params: JSON.parse(r.params) as Record<string, unknown>,
    featureSetId: r.feature_set_id,
    state: r.state,
    kept: r.kept,
    eligible: r.eligible,
    stats: JSON.parse(r.stats) as Record<string, unknown>,
    evaluation: r.evaluation === null ? null : (JSON.parse(r.evaluation) as unknown),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function getRun(db: Db, id: number): RunRow | undefined {
  const r = db.prepare(`SELECT * FROM runs WHERE id = ?`).get(id) as Raw | undefined;
  return r && toRow(r);
}

export function listRuns(db: Db, datasetId?: number): RunRow[] {
  const rows = (
    datasetId === undefined
      ? db.prepare(`SELECT * FROM runs ORDER BY id`).all()
      : db.prepare(`SELECT * FROM runs WHERE dataset_id = ? ORDER BY id`).all(datasetId)
  ) as Raw[];
  return rows.map(toRow);
}

export function createRun(
  db: Db,
  r: {
    datasetId: number;
    method: string;
    label: string;
    params: Record<string, unknown>;
    featureSetId?: number | null;
  },
): RunRow {
  const now = new Date().toISOString();
  const id = Number(
    db
      .prepare(
        `INSERT INTO runs (dataset_id, method, label, params, feature_set_id, state, created_at, updated_at)
         VALUES (?,?,?,?,?,'running',?,?)`,
      )
      .run(r.datasetId, r.method, r.label, JSON.stringify(r.params), r.featureSetId ?? null, now, now)
      .lastInsertRowid,
  );
  return getRun(db, id)!;
}

export interface RunPairResult {
  seq: number;
  kept: boolean;
  reason?: string | null;
  cluster?: number | null;
  score?: number | null;
}

/** Writes per-pair results in one transaction per call (call it in batches for big runs). */
export function writeRunPairs(db: Db, runId: number, rows: Iterable<RunPairResult>): void {
  const stmt = db.prepare(
    `INSERT INTO run_pairs (run_id, seq, kept, reason, cluster, score) VALUES (?,?,?,?,?,?)
     ON CONFLICT (run_id, seq) DO UPDATE SET kept = excluded.kept, reason = excluded.reason,
       cluster = excluded.cluster, score = excluded.score`,
  );
  db.transaction(() => {
    for (const r of rows) {
      const score = r.score === undefined || r.score === null || Number.isNaN(r.score) ? null : r.score;
      stmt.run(runId, r.seq, r.kept ? 1 : 0, r.reason ?? null, r.cluster ?? null, score);
    }
  })();
}

export function finishRun(
  db: Db,
  runId: number,
  f: {
    state: RunState;
    kept: number;
    eligible: number;
    stats: Record<string, unknown>;
    evaluation?: unknown;
  },
): void {
  db.prepare(
    `UPDATE runs SET state = ?, kept = ?, eligible = ?, stats = ?, evaluation = ?, updated_at = ? WHERE id = ?`,
  ).run(
    f.state,
    f.kept,
    f.eligible,
    JSON.stringify(f.stats),
    f.evaluation === undefined ? null : JSON.stringify(f.evaluation),
    new Date().toISOString(),
    runId,
  );
}

/**
 * Runs still "running" when the engine starts belong to a process that died mid-run (a
 * compress job does not resume: the same command makes a new run). They are marked failed
 * with the reason, and their partial per-pair rows dropped, so none looks like a result.
 */
export function failInterruptedRuns(db: Db): number {
  const ids = db.prepare(`SELECT id FROM runs WHERE state = 'running'`).pluck().all() as number[];
  if (ids.length === 0) return 0;
  const error =
    'interrupted: the engine stopped while this run was being computed; run the same compress again';
  db.transaction(() => {
    for (const id of ids) {
      db.prepare(`DELETE FROM run_pairs WHERE run_id = ?`).run(id);
      finishRun(db, id, { state: 'failed', kept: 0, eligible: 0, stats: { error } });
    }
  })();
  return ids.length;
}

export function setRunEvaluation(db: Db, runId: number, evaluation: unknown): void {
  db.prepare(`UPDATE runs SET evaluation = ?, updated_at = ? WHERE id = ?`).run(
    JSON.stringify(evaluation),
    new Date().toISOString(),
    runId,
  );
}

/** Kept seqs of a run in ascending order, paged so memory stays flat. */
export function* keptSeqs(db: Db, runId: number, pageSize = 10_000): Generator<number> {
  const stmt = db.prepare(
    `SELECT seq FROM run_pairs WHERE run_id = ? AND kept = 1 AND seq > ? ORDER BY seq LIMIT ?`,
  );
  let last = -1;
  for (;;) {
    const rows = stmt.all(runId, last, pageSize) as { seq: number }[];
    for (const r of rows) yield r.seq;
    if (rows.length < pageSize) return;
    last = rows[rows.length - 1]!.seq;
  }
}

/** The kept mask of a run as a byte per pair (n = the dataset's pair count). */
export function keptMask(db: Db, runId: number, n: number): Uint8Array {
  const m = new Uint8Array(n);
  for (const s of keptSeqs(db, runId)) if (s < n) m[s] = 1;
  return m;
}

export function deleteRun(db: Db, runId: number): boolean {
  return db.prepare(`DELETE FROM runs WHERE id = ?`).run(runId).changes > 0;
}
