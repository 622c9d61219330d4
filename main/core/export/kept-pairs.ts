// The pairs an export writes, streamed out of the store page by page (memory stays flat
// and no statement stays open between pages, so other jobs can write meanwhile).
import { toStoredPair, type StoredPair } from '../store/pairs';
import type { Db } from '../store/db';

export interface RefinedCaption {
  model: string;
  merged: string;
  /** Words of the generated part BLIP's 30-word cut drops. */
  truncated: number;
}

export interface ExportPair {
  pair: StoredPair;
  refined: RefinedCaption | null;
}

type RawPair = Parameters<typeof toStoredPair>[0];
type RawKept = RawPair & { rc_model: string | null; rc_merged: string | null; rc_truncated: number | null };

/** A stream of pairs and how many it will yield (for progress). */
export interface PairSource {
  total: number;
  pairs(): Generator<ExportPair>;
}

const PAGE = 2000;

/** The kept pairs of a run, in seq order, with the run's refined caption when there is one. */
export function keptPairSource(db: Db, runId: number, datasetId: number): PairSource {
  const total = (
    db.prepare(`SELECT COUNT(*) AS n FROM run_pairs WHERE run_id = ? AND kept = 1`).get(runId) as {
      n: number;
    }
  ).n;
  const stmt = db.prepare(
    `SELECT p.*, rc.model AS rc_model, rc.merged AS rc_merged, rc.truncated AS rc_truncated
     FROM run_pairs r
     JOIN pairs p ON p.dataset_id = ? AND p.seq = r.seq
     LEFT JOIN refined_captions rc ON rc.run_id = r.run_id AND rc.seq = r.seq
     WHERE r.run_id = ? AND r.kept = 1 AND r.seq > ?
     ORDER BY r.seq LIMIT ?`,
  );
  return {
    total,
    *pairs() {
      let last = -1;
      for (;;) {
        const rows = stmt.all(datasetId, runId, last, PAGE) as RawKept[];
        for (const r of rows) {
          yield {
            pair: toStoredPair(r),
            refined:
              r.rc_merged === null
                ? null
                : { model: r.rc_model ?? '', merged: r.rc_merged, truncated: r.rc_truncated ?? 0 },
          };
        }
        if (rows.length < PAGE) return;
        last = rows[rows.length - 1]!.seq;
      }
    },
  };
}

/** Every pair of the dataset (the WFPP schedule's full set), original captions. */
export function allPairSource(db: Db, datasetId: number): PairSource {
  const total = (
    db.prepare(`SELECT COUNT(*) AS n FROM pairs WHERE dataset_id = ?`).get(datasetId) as { n: number }
  ).n;
  const stmt = db.prepare(`SELECT * FROM pairs WHERE dataset_id = ? AND seq > ? ORDER BY seq LIMIT ?`);
  return {
    total,
    *pairs() {
      let last = -1;
      for (;;) {
        const rows = stmt.all(datasetId, last, PAGE) as RawPair[];
        for (const r of rows) yield { pair: toStoredPair(r), refined: null };
        if (rows.length < PAGE) return;
        last = rows[rows.length - 1]!.seq;
      }
    },
  };
}

/**
 * Error kinds that concern only the image: a uid list or a URL list does not need the
 * image, so pairs with these errors are still listed there.
 */
export const IMAGE_ONLY_ERRORS = [
  'missing_image',
  'unreadable_image',
  'corrupt_image',
  'image_too_large',
  'path_escape',
  'truncated_archive',
  'download_failed',
] as const;
const IMAGE_ONLY_SQL = IMAGE_ONLY_ERRORS.map((k) => `'${k}'`).join(',');
/** SQL: the pair is usable where no image is needed. */
export const META_USABLE_SQL = `(p.status = 'ok' OR p.error_kind IN (${IMAGE_ONLY_SQL}))`;

/** What the kept pairs are made of, to refuse a format before anything is written. */
export interface KeptProfile {
  kept: number;
  /** ok pairs by image kind (file | tar | parquet | url | none). */
  okByKind: Record<string, number>;
  /** Pairs indexed with an error. */
  errors: number;
  /** ok pairs whose key is not a safe tar member stem. */
  okUnsafeKeys: number;
  /** Pairs usable where no image is needed (ok, or an image-only error), and how many of them lack a uid / url. */
  meta: number;
  metaWithoutUid: number;
  metaWithoutUrl: number;
  /** Indexed bytes of the ok pairs' images (what a format that copies them writes at least). */
  okImageBytes: number;
}

const SCAN_CHUNK = 100_000;

/** Aggregates over the kept pairs, in seq ranges with a pause between, so the event loop breathes. */
export async function profileKept(
  db: Db,
  runId: number,
  datasetId: number,
  signal?: AbortSignal,
): Promise<KeptProfile> {
  const range = db
    .prepare(`SELECT MIN(seq) AS lo, MAX(seq) AS hi FROM run_pairs WHERE run_id = ? AND kept = 1`)
    .get(runId) as { lo: number | null; hi: number | null };
  const profile: KeptProfile = {
    kept: 0,
    okByKind: {},
    errors: 0,
    okUnsafeKeys: 0,
    meta: 0,
    metaWithoutUid: 0,
    metaWithoutUrl: 0,
    okImageBytes: 0,
  };
  if (range.lo === null || range.hi === null) return profile;
  const stmt = db.prepare(
    `SELECT p.status AS status, p.image_kind AS kind, ${META_USABLE_SQL} AS meta, COUNT(*) AS n,
            SUM(p.uid IS NULL OR p.uid = '') AS no_uid,
            SUM(p.url IS NULL OR p.url = '') AS no_url,
            SUM(p.key = '' OR length(p.key) > 64 OR p.key GLOB '*[^A-Za-z0-9_-]*') AS unsafe_keys,
            SUM(COALESCE(p.bytes, p.image_size, 0)) AS image_bytes
     FROM run_pairs r JOIN pairs p ON p.dataset_id = ? AND p.seq = r.seq
     WHERE r.run_id = ? AND r.kept = 1 AND r.seq >= ? AND r.seq < ?
     GROUP BY 1, 2, 3`,
  );
  for (let lo = range.lo; lo <= range.hi; lo += SCAN_CHUNK) {
    signal?.throwIfAborted();
    const rows = stmt.all(datasetId, runId, lo, lo + SCAN_CHUNK) as {
      status: string;
      kind: string;
      meta: number;
      n: number;
      no_uid: number;
      no_url: number;
      unsafe_keys: number;
      image_bytes: number | null;
    }[];
    for (const r of rows) {
      profile.kept += r.n;
      if (r.meta) {
        profile.meta += r.n;
        profile.metaWithoutUid += r.no_uid;
        profile.metaWithoutUrl += r.no_url;
      }
      if (r.status !== 'ok') {
        profile.errors += r.n;
        continue;
      }
      profile.okByKind[r.kind] = (profile.okByKind[r.kind] ?? 0) + r.n;
      profile.okUnsafeKeys += r.unsafe_keys;
      profile.okImageBytes += r.image_bytes ?? 0;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return profile;
}
