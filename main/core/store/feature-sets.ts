// Statements for feature sets (one per dataset × model) and their per-pair errors.
import type { Db } from './db';

export type FeatureSetState = 'new' | 'partial' | 'ready';

export interface FeatureSetRow {
  id: number;
  datasetId: number;
  model: string;
  folder: string;
  meta: Record<string, unknown>;
  state: FeatureSetState;
  createdAt: string;
  updatedAt: string;
}

interface Raw {
  id: number;
  dataset_id: number;
  model: string;
  folder: string;
  meta: string;
  state: FeatureSetState;
  created_at: string;
  updated_at: string;
}

function toRow(r: Raw): FeatureSetRow {
  return {
    id: r.id,
    datasetId: r.dataset_id,
    model: r.model,
    folder: r.folder,
    meta: JSON.parse(r.meta) as Record<string, unknown>,
    state: r.state,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function getFeatureSet(db: Db, datasetId: number, model: string): FeatureSetRow | undefined {
  const r = db
    .prepare(`SELECT * FROM feature_sets WHERE dataset_id = ? AND model = ?`)
    .get(datasetId, model) as Raw | undefined;
  return r && toRow(r);
}

export function listFeatureSets(db: Db, datasetId: number): FeatureSetRow[] {
  return (
    db.prepare(`SELECT * FROM feature_sets WHERE dataset_id = ? ORDER BY id`).all(datasetId) as Raw[]
  ).map(toRow);
}

export function upsertFeatureSet(
  db: Db,
  f: {
    datasetId: number;
    model: string;
    folder: string;
    meta: Record<string, unknown>;
    state: FeatureSetState;
  },
): FeatureSetRow {
  const now = new Date().toISOString();
  db.prepare(
    `INSERT INTO feature_sets (dataset_id, model, folder, meta, state, created_at, updated_at) VALUES (?,?,?,?,?,?,?)
     ON CONFLICT (dataset_id, model) DO UPDATE SET folder = excluded.folder, meta = excluded.meta,
       state = excluded.state, updated_at = excluded.updated_at`,
  ).run(f.datasetId, f.model, f.folder, JSON.stringify(f.meta), f.state, now, now);
  return getFeatureSet(db, f.datasetId, f.model)!;
}

export function recordFeatureError(
  db: Db,
  featureSetId: number,
  seq: number,
  kind: string,
  message: string,
): void {
  db.prepare(
    `INSERT INTO feature_errors (feature_set_id, seq, kind, message) VALUES (?,?,?,?)
     ON CONFLICT (feature_set_id, seq) DO UPDATE SET kind = excluded.kind, message = excluded.message`,
  ).run(featureSetId, seq, kind, message);
}

export function featureErrorCounts(db: Db, featureSetId: number): Record<string, number> {
  const rows = db
    .prepare(`SELECT kind, COUNT(*) AS n FROM feature_errors WHERE feature_set_id = ? GROUP BY kind`)
    .all(featureSetId) as { kind: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
}

/** Seqs whose features failed, for masking them out of every method. */
export function featureErrorSeqs(db: Db, featureSetId: number): Set<number> {
  const rows = db.prepare(`SELECT seq FROM feature_errors WHERE feature_set_id = ?`).all(featureSetId) as {
    seq: number;
  }[];
  return new Set(rows.map((r) => r.seq));
}
