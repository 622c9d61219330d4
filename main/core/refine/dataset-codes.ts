// The dataset's (codes, caption) samples for the builtin captioner, streamed from the
// feature set's codes.f16 and the pairs table page by page (never the whole code matrix:
// at CC3M scale it would take gigabytes).
import { hash32 } from '../features/builtin/text';
import type { AssociationSample } from '../features/builtin/association';
import type { Db } from '../store/db';
import type { VectorFile } from '../store/vectors';

export interface CodedPair extends AssociationSample {
  seq: number;
  imageKey: string;
}

const PAGE = 1024;

/** True when at least one patch has a code (pairs whose image failed have only −1). */
export function hasCodes(codes: ArrayLike<number>): boolean {
  for (let t = 0; t < codes.length; t++) if (codes[t]! >= 0) return true;
  return false;
}

/**
 * Pairs indexed ok, with features (not in `failed`) and codes, in seq order, with their
 * codes. Each page's codes are read in one positioned read; a sample's `codes` is a view
 * that stays valid (every page gets its own buffer).
 */
export function* codedPairs(
  db: Db,
  datasetId: number,
  codes: VectorFile,
  failed: ReadonlySet<number>,
): Generator<CodedPair> {
  const stmt = db.prepare(
    `SELECT seq, image_key, caption FROM pairs WHERE dataset_id = ? AND status = 'ok' AND seq >= ? AND seq < ? ORDER BY seq`,
  );
  const T = codes.dims;
  for (let start = 0; start < codes.rows; start += PAGE) {
    const count = Math.min(PAGE, codes.rows - start);
    const rows = stmt.all(datasetId, start, start + count) as {
      seq: number;
      image_key: string;
      caption: string | null;
    }[];
    if (rows.length === 0) continue;
    const data = codes.readRows(start, count);
    for (const r of rows) {
      if (failed.has(r.seq)) continue;
      const c = data.subarray((r.seq - start) * T, (r.seq - start + 1) * T);
      if (!hasCodes(c)) continue;
      yield { seq: r.seq, imageKey: r.image_key, caption: r.caption ?? '', codes: c };
    }
  }
}

/**
 * Cross-fitting fold of an image: pairs sharing an image share a fold, so no caption of
 * an image (Flickr has five) teaches the model that then captions that image.
 */
export function imageFold(imageKey: string, folds: number): number {
  return hash32(imageKey, 0x9e3779b9) % folds;
}
