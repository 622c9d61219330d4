// Statements for refined_captions (store/migrations.ts): one row per refined kept pair.
import type { Db } from '../store/db';

export interface RefinedRow {
  seq: number;
  model: string;
  generated: string;
  merged: string;
  /** Words of the generated part BLIP's 30-word cut drops. */
  truncated: number;
}

/** Seqs of the run already refined by `model` (a different model's rows are redone). */
export function refinedSeqs(db: Db, runId: number, model: string): Set<number> {
  const rows = db
    .prepare(`SELECT seq FROM refined_captions WHERE run_id = ? AND model = ?`)
    .all(runId, model) as { seq: number }[];
  return new Set(rows.map((r) => r.seq));
}

/** Writes rows in one transaction (a batch). */
export function writeRefined(db: Db, runId: number, rows: readonly RefinedRow[]): void {
  const stmt = db.prepare(
    `INSERT INTO refined_captions (run_id, seq, model, generated, merged, truncated) VALUES (?,?,?,?,?,?)
     ON CONFLICT (run_id, seq) DO UPDATE SET model = excluded.model, generated = excluded.generated,
       merged = excluded.merged, truncated = excluded.truncated`,
  );
  db.transaction(() => {
    for (const r of rows) stmt.run(runId, r.seq, r.model, r.generated, r.merged, r.truncated);
  })();
}

/** The run's refined rows by `model`, in seq order. */
export function listRefined(db: Db, runId: number, model: string): RefinedRow[] {
  return db
    .prepare(
      `SELECT seq, model, generated, merged, truncated FROM refined_captions WHERE run_id = ? AND model = ? ORDER BY seq`,
    )
    .all(runId, model) as RefinedRow[];
}

export interface TruncationCounts {
  rows: number;
  /** Rows whose generated part loses words to BLIP's cut. */
  truncatedPairs: number;
  truncatedWords: number;
}

export function truncationCounts(db: Db, runId: number, model: string): TruncationCounts {
  const r = db
    .prepare(
      `SELECT COUNT(*) AS rows, COALESCE(SUM(truncated > 0), 0) AS pairs, COALESCE(SUM(truncated), 0) AS words
       FROM refined_captions WHERE run_id = ? AND model = ?`,
    )
    .get(runId, model) as { rows: number; pairs: number; words: number };
  return { rows: r.rows, truncatedPairs: r.pairs, truncatedWords: r.words };
}
