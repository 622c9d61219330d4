// Rows of the exports table: one per finished export, with its manifest.
import type { Db } from '../store/db';
import type { ExportManifest } from './manifest';

export interface ExportRow {
  id: number;
  runId: number;
  format: string;
  folder: string;
  manifest: ExportManifest;
  createdAt: string;
}

interface Raw {
  id: number;
  run_id: number;
  format: string;
  folder: string;
  manifest: string;
  created_at: string;
}

const toRow = (r: Raw): ExportRow => ({
  id: r.id,
  runId: r.run_id,
  format: r.format,
  folder: r.folder,
  manifest: JSON.parse(r.manifest) as ExportManifest,
  createdAt: r.created_at,
});

export function recordExport(
  db: Db,
  runId: number,
  format: string,
  folder: string,
  manifest: ExportManifest,
): number {
  return Number(
    db
      .prepare(`INSERT INTO exports (run_id, format, folder, manifest, created_at) VALUES (?,?,?,?,?)`)
      .run(runId, format, folder, JSON.stringify(manifest), manifest.createdAt).lastInsertRowid,
  );
}

export function listExports(db: Db, runId?: number): ExportRow[] {
  const rows = (
    runId === undefined
      ? db.prepare(`SELECT * FROM exports ORDER BY id`).all()
      : db.prepare(`SELECT * FROM exports WHERE run_id = ? ORDER BY id`).all(runId)
  ) as Raw[];
  return rows.map(toRow);
}

export function getExport(db: Db, id: number): ExportRow | undefined {
  const r = db.prepare(`SELECT * FROM exports WHERE id = ?`).get(id) as Raw | undefined;
  return r && toRow(r);
}
