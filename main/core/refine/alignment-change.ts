// Alignment of the refined pairs before and after refinement (METHODS.md, "Alignment
// score"): the same image scored against its original caption and against the merged one.
//   CLIP-family features: cosine of image and text embeddings.
//   Builtin features: the cross-fitted ridge image→text map of methods/alignment.ts, fitted
//   on the dataset's original captions. A pair is scored before *and* after by the map of
//   its own fold (a map that never saw the pair), so the two scores differ only by the text.
import type { Matrix } from '../compute/types';
import { fixedRange, histogram } from '../evaluate/histogram';
import {
  centreRows,
  fitRidge,
  subtractStats,
  emptyStats,
  type RidgeMap,
  type RidgeStats,
} from '../methods/alignment';
import { crossFittedAlignment, type CrossFitOptions } from '../methods/cross-fit';
import { jsKernels } from '../methods/kernels';
import { pairedCosine } from '../methods/vectors';

export interface AlignmentChange {
  /** Per refined pair (in the order of `rows`): score with the original caption. */
  before: Float32Array;
  /** … and with the merged caption. */
  after: Float32Array;
}

/** The listed rows of `m`, copied into a matrix of their own. */
function pick(m: Matrix, rows: readonly number[]): Matrix {
  const out = new Float32Array(rows.length * m.cols);
  rows.forEach((r, k) => out.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), k * m.cols));
  return { data: out, rows: rows.length, cols: m.cols };
}

/** Joint space: cos(image, original text) and cos(image, merged text). */
export function cosineAlignmentChange(
  image: Matrix,
  text: Matrix,
  rows: readonly number[],
  merged: Matrix,
): AlignmentChange {
  if (merged.rows !== rows.length) throw new RangeError('one merged-caption embedding per refined row');
  const x = pick(image, rows);
  return { before: pairedCosine(x, pick(text, rows)), after: pairedCosine(x, merged) };
}

/**
 * Builtin: cross-fitted ridge. `image`/`text` hold every pair (row = seq); `rows` are the
 * refined pairs and `merged` their merged-caption embeddings (same text embedding recipe
 * as `text`). `fit.fitMask` marks the pairs the maps may learn from (pairs with features).
 */
export async function ridgeAlignmentChange(
  image: Matrix,
  text: Matrix,
  rows: readonly number[],
  merged: Matrix,
  fit: CrossFitOptions = {},
): Promise<AlignmentChange> {
  const kernels = fit.kernels ?? jsKernels;
  if (merged.rows !== rows.length) throw new RangeError('one merged-caption embedding per refined row');
  const cf = await crossFittedAlignment(image, text, fit);
  const K = fit.folds ?? 5;
  // The maps crossFittedAlignment used: fitted on all fitted pairs but fold f (pairs outside
  // the fit mask: on all of them).
  const foldRows: number[][] = Array.from({ length: K }, () => []);
  for (let i = 0; i < image.rows; i++) if (cf.fold[i]! >= 0) foldRows[cf.fold[i]!]!.push(i);
  const perFold: RidgeStats[] = [];
  for (const r of foldRows) perFold.push(await kernels.ridgeStats(image, text, r));
  const total = emptyStats(image.cols, text.cols);
  for (const s of perFold) addStats(total, s);
  const maps = new Map<number, RidgeMap>();
  const mapOf = (f: number): RidgeMap => {
    let m = maps.get(f);
    if (!m) maps.set(f, (m = fitRidge(f >= 0 ? subtractStats(total, perFold[f]!) : total, fit)));
    return m;
  };
  const before = new Float32Array(rows.length);
  const after = new Float32Array(rows.length);
  const byFold = new Map<number, number[]>();
  rows.forEach((r, k) => {
    before[k] = cf.scores[r]!;
    const f = cf.fold[r]!;
    let list = byFold.get(f);
    if (!list) byFold.set(f, (list = []));
    list.push(k);
  });
  for (const [f, ks] of byFold) {
    const map = mapOf(f);
    const predicted = await kernels.applyRidge(
      map,
      image,
      ks.map((k) => rows[k]!),
    );
    const y = centreRows(merged, map.meanY, ks);
    const s = pairedCosine(predicted, y);
    ks.forEach((k, j) => (after[k] = s[j]!));
  }
  return { before, after };
}

function addStats(into: RidgeStats, s: RidgeStats): void {
  into.n += s.n;
  for (let k = 0; k < s.sx.length; k++) into.sx[k]! += s.sx[k]!;
  for (let k = 0; k < s.sy.length; k++) into.sy[k]! += s.sy[k]!;
  for (let k = 0; k < s.xx.length; k++) into.xx[k]! += s.xx[k]!;
  for (let k = 0; k < s.xy.length; k++) into.xy[k]! += s.xy[k]!;
}

/** A histogram as plain numbers (job results and the API are JSON). */
export interface AlignmentHistogram {
  /** bins + 1 edges; the last bin includes its right edge. */
  edges: number[];
  counts: number[];
  total: number;
}

export interface AlignmentSummary {
  pairs: number;
  meanBefore: number;
  meanAfter: number;
  /** Both on the same bins, so the bars compare. */
  histogramBefore: AlignmentHistogram;
  histogramAfter: AlignmentHistogram;
}

function mean(v: Float32Array): number {
  let s = 0;
  let n = 0;
  for (const x of v) {
    if (Number.isNaN(x)) continue;
    s += x;
    n++;
  }
  return n > 0 ? s / n : NaN;
}

export function summariseAlignment(change: AlignmentChange, bins = 40): AlignmentSummary {
  const both = new Float32Array(change.before.length + change.after.length);
  both.set(change.before);
  both.set(change.after, change.before.length);
  const range = { ...fixedRange(both), bins };
  const plain = (v: Float32Array): AlignmentHistogram => {
    const h = histogram(v, range);
    return { edges: Array.from(h.edges), counts: Array.from(h.counts), total: h.total };
  };
  return {
    pairs: change.before.length,
    meanBefore: mean(change.before),
    meanAfter: mean(change.after),
    histogramBefore: plain(change.before),
    histogramAfter: plain(change.after),
  };
}
