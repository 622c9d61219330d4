// Cross-fitted ridge alignment (the builtin model's alignment score): K folds, every fitted
// pair scored by the map trained on the other K − 1 folds, so no pair is scored by a map
// that saw it. The Gram matrices and projections go through LinearKernels (ONNX at scale).
import type { Matrix } from '../compute/types';
import {
  centreRows,
  emptyStats,
  fitRidge,
  subtractStats,
  type RidgeOptions,
  type RidgeStats,
} from './alignment';
import { jsKernels, type LinearKernels } from './kernels';
import { permutation } from './rng';
import { pairedCosine } from './vectors';

export interface CrossFitOptions extends RidgeOptions {
  /** K (default 5). */
  folds?: number;
  seed?: number;
  /** Pairs the maps may learn from (default all). Others (e.g. held-out) are scored by the map fit on all of them. */
  fitMask?: Uint8Array;
  /** Pairs sharing an image share a fold (no sibling caption leaks the image into its own map). */
  groups?: Int32Array;
  /** Where the Gram matrices and projections run (default plain JS; compute/kernels.ts at scale). */
  kernels?: LinearKernels;
}

export interface CrossFitResult {
  scores: Float32Array;
  /** Fold of each pair (−1: not in fitMask). */
  fold: Int8Array;
  alpha: number[];
}

/** Cross-fitted ridge alignment: every fitted pair is scored by the map trained on the other K−1 folds. */
export async function crossFittedAlignment(
  x: Matrix,
  y: Matrix,
  opts: CrossFitOptions = {},
): Promise<CrossFitResult> {
  const kernels = opts.kernels ?? jsKernels;
  const n = x.rows;
  if (y.rows !== n) throw new RangeError('image and text features have different row counts');
  const K = opts.folds ?? 5;
  if (!(Number.isInteger(K) && K >= 2 && K <= 127))
    throw new RangeError(`folds must be an integer in [2, 127], got ${K}`);
  const fold = new Int8Array(n).fill(-1);
  const inFit = (i: number): boolean => !opts.fitMask || opts.fitMask[i] === 1;
  if (opts.groups) {
    if (opts.groups.length !== n) throw new RangeError('groups length differs from the pair count');
    // Folds by group: a seeded permutation of the distinct group ids.
    const ids = new Map<number, number>();
    for (let i = 0; i < n; i++)
      if (inFit(i) && !ids.has(opts.groups[i] as number)) ids.set(opts.groups[i] as number, ids.size);
    const perm = permutation(ids.size, opts.seed ?? 0);
    const foldOfGroup = new Int8Array(ids.size);
    for (let k = 0; k < perm.length; k++) foldOfGroup[perm[k] as number] = k % K;
    for (let i = 0; i < n; i++)
      if (inFit(i)) fold[i] = foldOfGroup[ids.get(opts.groups[i] as number) as number] as number;
  } else {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (inFit(i)) rows.push(i);
    const perm = permutation(rows.length, opts.seed ?? 0);
    for (let k = 0; k < perm.length; k++) fold[rows[perm[k] as number] as number] = k % K;
  }
  const foldRows: number[][] = Array.from({ length: K }, () => []);
  const outside: number[] = [];
  for (let i = 0; i < n; i++) {
    const f = fold[i] as number;
    if (f >= 0) (foldRows[f] as number[]).push(i);
    else outside.push(i);
  }
  const perFold: RidgeStats[] = [];
  for (const rows of foldRows) perFold.push(await kernels.ridgeStats(x, y, rows));
  const total = emptyStats(x.cols, y.cols);
  for (const s of perFold) {
    total.n += s.n;
    for (let k = 0; k < s.sx.length; k++) total.sx[k]! += s.sx[k] as number;
    for (let k = 0; k < s.sy.length; k++) total.sy[k]! += s.sy[k] as number;
    for (let k = 0; k < s.xx.length; k++) total.xx[k]! += s.xx[k] as number;
    for (let k = 0; k < s.xy.length; k++) total.xy[k]! += s.xy[k] as number;
  }
  const scores = new Float32Array(n);
  const alpha: number[] = [];
  for (let f = 0; f < K; f++) {
    const rows = foldRows[f] as number[];
    if (rows.length === 0) continue;
    const map = fitRidge(subtractStats(total, perFold[f] as RidgeStats), opts);
    alpha.push(map.alpha);
    const s = pairedCosine(await kernels.applyRidge(map, x, rows), centreRows(y, map.meanY, rows));
    for (let k = 0; k < rows.length; k++) scores[rows[k] as number] = s[k] as number;
  }
  if (outside.length > 0) {
    const map = fitRidge(total, opts);
    const s = pairedCosine(await kernels.applyRidge(map, x, outside), centreRows(y, map.meanY, outside));
    for (let k = 0; k < outside.length; k++) scores[outside[k] as number] = s[k] as number;
  }
  return { scores, fold, alpha };
}
