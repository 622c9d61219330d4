// Dataset statistics computed by SQL aggregates, so they stay fast at a million pairs.
import type { Db } from './db';
import { wordTotals } from './pairs';

export interface Histogram {
  edges: number[];
  counts: number[];
}

export interface DatasetCounts {
  pairs: number;
  images: number;
  ok: number;
  errors: Record<string, number>;
  errorTotal: number;
  bytes: number;
  vocabulary: number;
  words: number;
}

export function datasetCounts(db: Db, datasetId: number): DatasetCounts {
  const base = db
    .prepare(
      `SELECT COUNT(*) AS pairs, COUNT(DISTINCT image_key) AS images,
              SUM(status = 'ok') AS ok, COALESCE(SUM(bytes), 0) AS bytes
       FROM pairs WHERE dataset_id = ?`,
    )
    .get(datasetId) as { pairs: number; images: number; ok: number | null; bytes: number };
  const errs = db
    .prepare(
      `SELECT error_kind AS kind, COUNT(*) AS n FROM pairs WHERE dataset_id = ? AND status = 'error'
       GROUP BY error_kind ORDER BY n DESC`,
    )
    .all(datasetId) as { kind: string | null; n: number }[];
  const errors: Record<string, number> = {};
  let errorTotal = 0;
  for (const e of errs) {
    errors[e.kind ?? 'unknown'] = e.n;
    errorTotal += e.n;
  }
  const w = wordTotals(db, datasetId);
  return {
    pairs: base.pairs,
    images: base.images,
    ok: base.ok ?? 0,
    errors,
    errorTotal,
    bytes: base.bytes,
    vocabulary: w.vocabulary,
    words: w.total,
  };
}

/** Histogram of an integer SQL expression over ok pairs, in `bins` equal-width bins. */
function sqlHistogram(db: Db, datasetId: number, expr: string, bins: number): Histogram {
  const range = db
    .prepare(
      `SELECT MIN(v) AS lo, MAX(v) AS hi FROM (SELECT ${expr} AS v FROM pairs WHERE dataset_id = ? AND status = 'ok') WHERE v IS NOT NULL`,
    )
    .get(datasetId) as { lo: number | null; hi: number | null };
  if (range.lo === null || range.hi === null) return { edges: [], counts: [] };
  const lo = range.lo;
  const width = Math.max(1, Math.ceil((range.hi - lo + 1) / bins));
  const n = Math.ceil((range.hi - lo + 1) / width);
  const rows = db
    .prepare(
      `SELECT CAST((v - ?) / ? AS INTEGER) AS b, COUNT(*) AS n FROM
        (SELECT ${expr} AS v FROM pairs WHERE dataset_id = ? AND status = 'ok') WHERE v IS NOT NULL GROUP BY b`,
    )
    .all(lo, width, datasetId) as { b: number; n: number }[];
  const counts = new Array<number>(n).fill(0);
  for (const r of rows) counts[Math.min(n - 1, r.b)] = r.n;
  const edges = Array.from({ length: n + 1 }, (_, i) => lo + i * width);
  return { edges, counts };
}

/** Words per caption, counted as space-separated runs (cheap in SQL; the UI's histogram). */
const CAPTION_WORDS = `(LENGTH(TRIM(caption)) - LENGTH(REPLACE(TRIM(caption), ' ', '')) + 1)`;

export function datasetHistograms(db: Db, datasetId: number) {
  return {
    captionWords: sqlHistogram(db, datasetId, CAPTION_WORDS, 30),
    imageWidth: sqlHistogram(db, datasetId, 'width', 30),
    imageHeight: sqlHistogram(db, datasetId, 'height', 30),
  };
}
