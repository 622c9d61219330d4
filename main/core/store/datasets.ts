// Statements for the datasets table.
import type { FormatId } from '../dataset/types';
import type { Db } from './db';

export type DatasetState = 'new' | 'indexing' | 'ready' | 'failed';

export interface DatasetRow {
  id: number;
  name: string;
  root: string;
  format: FormatId;
  options: Record<string, unknown>;
  state: DatasetState;
  createdAt: string;
  indexedAt: string | null;
  pairs: number;
}

interface RawRow {
  id: number;
  name: string;
  root: string;
  format: string;
  options: string;
  state: DatasetState;
  created_at: string;
  indexed_at: string | null;
  pairs: number;
}

// Pair count as MAX(seq) + 1: seqs are dense from 0 (see queryPairs), and this is an index
// lookup where COUNT(*) scans (a quarter of a second per dataset at 1M pairs).
const SELECT = `SELECT d.*, (SELECT COALESCE(MAX(p.seq) + 1, 0) FROM pairs p WHERE p.dataset_id = d.id) AS pairs FROM datasets d`;

function toRow(r: RawRow): DatasetRow {
  return {
    id: r.id,
    name: r.name,
    root: r.root,
    format: r.format as FormatId,
    options: JSON.parse(r.options) as Record<string, unknown>,
    state: r.state,
    createdAt: r.created_at,
    indexedAt: r.indexed_at,
    pairs: r.pairs,
  };
}

export function getDataset(db: Db, id: number): DatasetRow | undefined {
  const r = db.prepare(`${SELECT} WHERE d.id = ?`).get(id) as RawRow | undefined;
  return r && toRow(r);
}

export function findDatasetByRoot(db: Db, root: string): DatasetRow | undefined {
  const r = db.prepare(`${SELECT} WHERE d.root = ?`).get(root) as RawRow | undefined;
  return r && toRow(r);
}

export function listDatasets(db: Db): DatasetRow[] {
  return (db.prepare(`${SELECT} ORDER BY d.id`).all() as RawRow[]).map(toRow);
}

export function createDataset(
  db: Db,
  d: { name: string; root: string; format: FormatId; options?: Record<string, unknown>; detection?: unknown },
): DatasetRow {
  const id = Number(
    db
      .prepare(
        `INSERT INTO datasets (name, root, format, options, detection, created_at) VALUES (?,?,?,?,?,?)`,
      )
      .run(
        d.name,
        d.root,
        d.format,
        JSON.stringify(d.options ?? {}),
        JSON.stringify(d.detection ?? {}),
        new Date().toISOString(),
      ).lastInsertRowid,
  );
  return getDataset(db, id)!;
}

export function setDatasetState(db: Db, id: number, state: DatasetState): void {
  const indexed = state === 'ready' ? new Date().toISOString() : null;
  db.prepare(`UPDATE datasets SET state = ?, indexed_at = COALESCE(?, indexed_at) WHERE id = ?`).run(
    state,
    indexed,
    id,
  );
}

/** Drops a dataset's index rows (cascade). The dataset files are never touched. */
export function deleteDataset(db: Db, id: number): boolean {
  return db.prepare(`DELETE FROM datasets WHERE id = ?`).run(id).changes > 0;
}

/** Empties a dataset's pairs and word counts for a fresh index. */
export function clearDatasetIndex(db: Db, id: number): void {
  db.transaction(() => {
    db.prepare(`DELETE FROM pairs WHERE dataset_id = ?`).run(id);
    db.prepare(`DELETE FROM word_counts WHERE dataset_id = ?`).run(id);
    db.prepare(`DELETE FROM jobs WHERE dataset_id = ? AND kind = 'ingest'`).run(id);
  })();
}
