// Everything a compression run reads, loaded once into columns: pair status, image
// groups, byte sizes, captions, and (for methods that need them) the feature set's image
// vectors, text vectors and patch codes.
import path from 'node:path';
import type { Matrix } from '../compute/types';
import type { CoreContext } from '../context';
import { FEATURE_FILES } from '../features/embed';
import { featureErrorSeqs, getFeatureSet, type FeatureSetRow } from '../store/feature-sets';
import { l2NormalizeRows } from '../methods/vectors';
import { VectorFile } from '../store/vectors';

export interface FeatureData {
  set: FeatureSetRow;
  image: Matrix;
  /** Text vectors; absent for imported image-only embeddings. */
  text?: Matrix;
  /** Colour layout (grid × grid × RGB per pair, not normalised), when the model stores one (builtin). */
  layout?: Matrix;
  /** Patch codes (T per pair; −1 = none), when the feature set has them. */
  codes?: Int32Array;
  patchCount: number;
  codebookSize: number;
  /** Image and text vectors share one space (CLIP): alignment = cosine. */
  jointSpace: boolean;
  /** 1 = the pair's features were computed. */
  ok: Uint8Array;
  /**
   * Pairs with features but no patch codes / no colour layout: their vectors were imported
   * into this (builtin) set. Methods that need codes or the layout refuse such a set.
   */
  withoutCodes: number;
  withoutLayout: number;
}

export interface CompressData {
  n: number;
  /** Indexed ok (and, once features are loaded, with features). */
  usable: Uint8Array;
  /** Image group per pair: pairs that share an image share a group. */
  groups: Int32Array;
  bytes: Float64Array;
  captions: string[];
  features?: FeatureData;
}

export class MissingFeaturesError extends Error {}

function readMatrix(file: string): Matrix {
  const v = VectorFile.open(file);
  try {
    return { data: v.readAll(), rows: v.rows, cols: v.dims };
  } finally {
    v.close();
  }
}

export function loadPairs(ctx: CoreContext, datasetId: number): CompressData {
  const n = (
    ctx.db.prepare(`SELECT COUNT(*) AS n FROM pairs WHERE dataset_id = ?`).get(datasetId) as { n: number }
  ).n;
  const usable = new Uint8Array(n);
  const groups = new Int32Array(n);
  const bytes = new Float64Array(n);
  const captions = new Array<string>(n).fill('');
  const groupIds = new Map<string, number>();
  const stmt = ctx.db.prepare(
    `SELECT seq, image_key, status, bytes, caption FROM pairs WHERE dataset_id = ? AND seq >= ? ORDER BY seq LIMIT 20000`,
  );
  let from = 0;
  for (;;) {
    const rows = stmt.all(datasetId, from) as {
      seq: number;
      image_key: string;
      status: string;
      bytes: number | null;
      caption: string | null;
    }[];
    for (const r of rows) {
      if (r.seq >= n) continue;
      usable[r.seq] = r.status === 'ok' ? 1 : 0;
      let g = groupIds.get(r.image_key);
      if (g === undefined) groupIds.set(r.image_key, (g = groupIds.size));
      groups[r.seq] = g;
      bytes[r.seq] = r.bytes ?? 0;
      captions[r.seq] = r.caption ?? '';
    }
    if (rows.length < 20000) break;
    from = rows[rows.length - 1]!.seq + 1;
  }
  return { n, usable, groups, bytes, captions };
}

/**
 * Loads a ready feature set into memory and masks out pairs whose features failed. Patch
 * codes and the colour layout are loaded only when asked (default: both): at CC3M scale
 * they are 3 GB (int32) and 2.3 GB, and only TL;DR's code features and SemDeDup's layout
 * read them.
 */
export function loadFeatures(
  ctx: CoreContext,
  data: CompressData,
  datasetId: number,
  model: string,
  want: { codes?: boolean; layout?: boolean } = {},
): FeatureData {
  const set = getFeatureSet(ctx.db, datasetId, model);
  if (!set || set.state !== 'ready') {
    throw new MissingFeaturesError(
      `dataset ${datasetId} has no ${model} features yet: run "tldr-studio embed ${datasetId}${model === 'builtin' ? '' : ` --model ${model}`}" (or Features → Embed) first`,
    );
  }
  // Unit rows from here on (in place: no copy of a matrix that may be gigabytes).
  const image = l2NormalizeRows(readMatrix(path.join(set.folder, FEATURE_FILES.image)));
  const text =
    Number(set.meta.textDims ?? 1) > 0
      ? l2NormalizeRows(readMatrix(path.join(set.folder, FEATURE_FILES.text)))
      : undefined;
  if (image.rows !== data.n || (text && text.rows !== data.n)) {
    throw new MissingFeaturesError(
      `the ${model} features of dataset ${datasetId} cover ${image.rows} pairs but the index has ${data.n}: embed again`,
    );
  }
  let codes: Int32Array | undefined;
  let patchCount = 0;
  if (want.codes !== false) {
    try {
      const c = readMatrix(path.join(set.folder, FEATURE_FILES.codes));
      codes = Int32Array.from(c.data);
      patchCount = c.cols;
    } catch {
      codes = undefined; // imported embeddings have no patch codes
    }
  }
  let layout: Matrix | undefined;
  if (want.layout !== false) {
    try {
      layout = readMatrix(path.join(set.folder, FEATURE_FILES.layout));
      if (layout.rows !== data.n) layout = undefined;
    } catch {
      layout = undefined; // other models, and builtin feature sets embedded before the layout existed
    }
  }
  const ok = new Uint8Array(data.n);
  const failed = featureErrorSeqs(ctx.db, set.id);
  for (let i = 0; i < data.n; i++) ok[i] = data.usable[i] && !failed.has(i) ? 1 : 0;
  // A zero vector is no feature at all (pairs skipped at embed time).
  for (let i = 0; i < data.n; i++) {
    if (!ok[i]) continue;
    let nz = false;
    for (let d = 0; d < image.cols && !nz; d++) nz = image.data[i * image.cols + d] !== 0;
    if (!nz) ok[i] = 0;
  }
  // Rows filled by an import into this set have no codes (all −1) and a zero layout.
  let withoutCodes = 0;
  let withoutLayout = 0;
  const T = patchCount;
  for (let i = 0; i < data.n; i++) {
    if (!ok[i]) continue;
    if (codes && T > 0) {
      let any = false;
      for (let t = 0; t < T && !any; t++) any = codes[i * T + t]! >= 0;
      if (!any) withoutCodes++;
    }
    if (layout) {
      let any = false;
      for (let d = 0; d < layout.cols && !any; d++) any = layout.data[i * layout.cols + d] !== 0;
      if (!any) withoutLayout++;
    }
  }
  return {
    set,
    image,
    ...(text ? { text } : {}),
    ...(codes ? { codes } : {}),
    ...(layout ? { layout } : {}),
    patchCount,
    codebookSize: Number(set.meta.codebookSize ?? 0),
    jointSpace: Boolean(set.meta.jointSpace),
    ok,
    withoutCodes,
    withoutLayout,
  };
}
