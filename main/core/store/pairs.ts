// Statements and queries for the pairs table, and the word counts filled beside it.
import type { ImageRef, PairRecord } from '../dataset/types';
import type { Db } from './db';

export interface StoredPair {
  id: number;
  seq: number;
  key: string;
  imageKey: string;
  image: ImageRef;
  caption: string | null;
  width: number | null;
  height: number | null;
  bytes: number | null;
  /** mtime of a file-held image when indexed (null for containers, URLs, older indexes). */
  mtimeMs: number | null;
  hash: string | null;
  uid: string | null;
  url: string | null;
  split: string | null;
  status: 'ok' | 'error';
  errorKind: string | null;
  error: string | null;
}

interface RawPair {
  id: number;
  seq: number;
  key: string;
  image_key: string;
  image_kind: ImageRef['kind'];
  image_path: string | null;
  image_member: string | null;
  image_offset: number | null;
  image_size: number | null;
  image_row: number | null;
  image_column: string | null;
  url: string | null;
  uid: string | null;
  split: string | null;
  caption: string | null;
  width: number | null;
  height: number | null;
  bytes: number | null;
  mtime_ms?: number | null;
  hash: string | null;
  status: 'ok' | 'error';
  error_kind: string | null;
  error: string | null;
}

function imageFromRow(r: RawPair): ImageRef {
  switch (r.image_kind) {
    case 'file':
      return { kind: 'file', path: r.image_path ?? '' };
    case 'tar':
      return {
        kind: 'tar',
        path: r.image_path ?? '',
        member: r.image_member ?? '',
        offset: r.image_offset ?? 0,
        size: r.image_size ?? 0,
      };
    case 'parquet':
      return {
        kind: 'parquet',
        path: r.image_path ?? '',
        row: r.image_row ?? 0,
        column: r.image_column ?? '',
      };
    case 'url':
      return { kind: 'url', url: r.url ?? '' };
    default:
      return { kind: 'none' };
  }
}

export function toStoredPair(r: RawPair): StoredPair {
  return {
    id: r.id,
    seq: r.seq,
    key: r.key,
    imageKey: r.image_key,
    image: imageFromRow(r),
    caption: r.caption,
    width: r.width,
    height: r.height,
    bytes: r.bytes,
    mtimeMs: r.mtime_ms ?? null,
    hash: r.hash,
    uid: r.uid,
    url: r.url,
    split: r.split,
    status: r.status,
    errorKind: r.error_kind,
    error: r.error,
  };
}

/** Prepared insert for ingest: returns false when the key is already taken. */
export function pairInserter(db: Db) {
  const stmt = db.prepare(`
    INSERT INTO pairs (dataset_id, seq, key, image_key, image_kind, image_path, image_member, image_offset,
      image_size, image_row, image_column, url, uid, split, caption, width, height, bytes, mtime_ms, hash,
      status, error_kind, error, unit)
    VALUES (@datasetId, @seq, @key, @imageKey, @imageKind, @imagePath, @imageMember, @imageOffset,
      @imageSize, @imageRow, @imageColumn, @url, @uid, @split, @caption, @width, @height, @bytes, @mtimeMs,
      @hash, @status, @errorKind, @error, @unit)
    ON CONFLICT (dataset_id, key) DO NOTHING`);
  return (datasetId: number, seq: number, unit: number, r: PairRecord): boolean => {
    const img = r.image;
    const res = stmt.run({
      datasetId,
      seq,
      key: r.key,
      imageKey: r.imageKey,
      imageKind: img.kind,
      imagePath: img.kind === 'file' || img.kind === 'tar' || img.kind === 'parquet' ? img.path : null,
      imageMember: img.kind === 'tar' ? img.member : null,
      imageOffset: img.kind === 'tar' ? img.offset : null,
      imageSize: img.kind === 'tar' ? img.size : null,
      imageRow: img.kind === 'parquet' ? img.row : null,
      imageColumn: img.kind === 'parquet' ? img.column : null,
      url: r.url ?? (img.kind === 'url' ? img.url : null),
      uid: r.uid ?? null,
      split: r.split ?? null,
      caption: r.caption,
      width: r.width ?? null,
      height: r.height ?? null,
      bytes: r.bytes ?? null,
      mtimeMs: img.kind === 'file' ? (r.mtimeMs ?? null) : null,
      hash: r.hash ?? null,
      status: r.error ? 'error' : 'ok',
      errorKind: r.error?.kind ?? null,
      error: r.error?.message ?? null,
      unit,
    });
    return res.changes > 0;
  };
}

export function wordCountUpserter(db: Db) {
  const stmt = db.prepare(
    `INSERT INTO word_counts (dataset_id, word, count) VALUES (?, ?, ?)
     ON CONFLICT (dataset_id, word) DO UPDATE SET count = count + excluded.count`,
  );
  return (datasetId: number, counts: Map<string, number>): void => {
    for (const [w, c] of counts) stmt.run(datasetId, w, c);
  };
}

export interface PairQuery {
  offset: number;
  limit: number;
  status?: 'ok' | 'error' | undefined;
  errorKind?: string | undefined;
  search?: string | undefined;
}

/** LIKE pattern for one search word, with LIKE's wildcards escaped. */
function likeWord(w: string): string {
  return `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function queryPairs(db: Db, datasetId: number, q: PairQuery): { total: number; items: StoredPair[] } {
  const where = ['dataset_id = ?'];
  const args: unknown[] = [datasetId];
  if (q.status) {
    where.push('status = ?');
    args.push(q.status);
  }
  if (q.errorKind) {
    where.push('error_kind = ?');
    args.push(q.errorKind);
  }
  for (const w of (q.search ?? '').split(/\s+/).filter(Boolean).slice(0, 8)) {
    where.push(`caption LIKE ? ESCAPE '\\'`);
    args.push(likeWord(w));
  }
  if (where.length === 1) {
    // Unfiltered (the grid's case): seqs are dense from 0 — the ingest assigns them in order
    // and commits whole batches — so the count is MAX + 1 and a page is a seq range, both
    // index lookups. COUNT(*) and OFFSET would scan: ~0.25 s and ~0.4 s per page at 1M pairs.
    const max = (
      db.prepare(`SELECT MAX(seq) AS m FROM pairs WHERE dataset_id = ?`).get(datasetId) as {
        m: number | null;
      }
    ).m;
    const rows = db
      .prepare(`SELECT * FROM pairs WHERE dataset_id = ? AND seq >= ? ORDER BY seq LIMIT ?`)
      .all(datasetId, q.offset, q.limit) as RawPair[];
    return { total: max === null ? 0 : max + 1, items: rows.map(toStoredPair) };
  }
  const w = where.join(' AND ');
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM pairs WHERE ${w}`).get(...args) as { n: number }).n;
  const rows = db
    .prepare(`SELECT * FROM pairs WHERE ${w} ORDER BY seq LIMIT ? OFFSET ?`)
    .all(...args, q.limit, q.offset) as RawPair[];
  return { total, items: rows.map(toStoredPair) };
}

export function getPairBySeq(db: Db, datasetId: number, seq: number): StoredPair | undefined {
  const r = db.prepare(`SELECT * FROM pairs WHERE dataset_id = ? AND seq = ?`).get(datasetId, seq) as
    RawPair | undefined;
  return r && toStoredPair(r);
}

/**
 * Every pair of a dataset in seq order, read in pages: memory stays flat, and no
 * statement stays open between pages, so the caller may write to the database while
 * iterating (better-sqlite3 refuses writes while an iterator is open).
 */
export function* iteratePairs(db: Db, datasetId: number, where = '', pageSize = 1000): Generator<StoredPair> {
  const stmt = db.prepare(
    `SELECT * FROM pairs WHERE dataset_id = ? AND seq > ? ${where ? `AND (${where})` : ''} ORDER BY seq LIMIT ?`,
  );
  let last = -1;
  for (;;) {
    const rows = stmt.all(datasetId, last, pageSize) as RawPair[];
    for (const r of rows) yield toStoredPair(r);
    if (rows.length < pageSize) return;
    last = rows[rows.length - 1]!.seq;
  }
}

export function topWords(db: Db, datasetId: number, limit: number): { word: string; count: number }[] {
  return db
    .prepare(`SELECT word, count FROM word_counts WHERE dataset_id = ? ORDER BY count DESC, word LIMIT ?`)
    .all(datasetId, limit) as { word: string; count: number }[];
}

export function wordTotals(db: Db, datasetId: number): { vocabulary: number; total: number } {
  const r = db
    .prepare(
      `SELECT COUNT(*) AS vocabulary, COALESCE(SUM(count), 0) AS total FROM word_counts WHERE dataset_id = ?`,
    )
    .get(datasetId) as { vocabulary: number; total: number };
  return r;
}
