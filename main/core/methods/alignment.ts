// Alignment score of a pair.
// - CLIP-family embeddings: cosine of the paired image and text embeddings.
// - Builtin features (image and text live in different spaces): a linear image→text map
//   learned by ridge regression, W = (XᵀX + αI)⁻¹ XᵀY on centred features, CROSS-FITTED in K
//   folds so no pair is scored by a map that saw it; score = cos((x − μx)W, y − μy).
// The ridge is also the proxy model of evaluate/proxy.ts (fitted on a selection only).
// Sufficient statistics (sums, XᵀX, XᵀY) are the interface so a caller can accumulate them
// chunk by chunk, or with the compute layer's Gemm at scale.
import type { Matrix } from '../compute/types';
import { cholesky, choleskySolve } from './linalg';
import { permutation } from './rng';
import { pairedCosine } from './vectors';

export { pairedCosine };

/** Cosine of paired embeddings (CLIP-family alignment score). */
export function embeddingAlignment(image: Matrix, text: Matrix): Float32Array {
  return pairedCosine(image, text);
}

export interface RidgeStats {
  n: number;
  dx: number;
  dy: number;
  sx: Float64Array;
  sy: Float64Array;
  /** Σ x xᵀ, dx×dx (full, symmetric). */
  xx: Float64Array;
  /** Σ x yᵀ, dx×dy. */
  xy: Float64Array;
}

export function emptyStats(dx: number, dy: number): RidgeStats {
  return {
    n: 0,
    dx,
    dy,
    sx: new Float64Array(dx),
    sy: new Float64Array(dy),
    xx: new Float64Array(dx * dx),
    xy: new Float64Array(dx * dy),
  };
}

/** Adds rows (all, or the listed ones) of X and Y to `into` (or to fresh stats). */
export function ridgeStats(x: Matrix, y: Matrix, rows?: ArrayLike<number>, into?: RidgeStats): RidgeStats {
  if (x.rows !== y.rows) throw new RangeError(`ridgeStats: ${x.rows} image rows vs ${y.rows} text rows`);
  const dx = x.cols;
  const dy = y.cols;
  const s = into ?? emptyStats(dx, dy);
  if (s.dx !== dx || s.dy !== dy) throw new RangeError('ridgeStats: widths differ from the accumulator');
  const m = rows ? rows.length : x.rows;
  const xd = x.data;
  const yd = y.data;
  const xr = new Float64Array(dx);
  for (let k = 0; k < m; k++) {
    const i = rows ? (rows[k] as number) : k;
    const ox = i * dx;
    const oy = i * dy;
    for (let a = 0; a < dx; a++) xr[a] = xd[ox + a] as number;
    for (let a = 0; a < dx; a++) {
      const va = xr[a] as number;
      s.sx[a]! += va;
      if (va === 0) continue;
      const oa = a * dx;
      for (let b = a; b < dx; b++) s.xx[oa + b]! += va * (xr[b] as number);
      const oxy = a * dy;
      for (let b = 0; b < dy; b++) s.xy[oxy + b]! += va * (yd[oy + b] as number);
    }
    for (let b = 0; b < dy; b++) s.sy[b]! += yd[oy + b] as number;
  }
  s.n += m;
  // Mirror the upper triangle so xx is always full (callers may add/subtract stats).
  for (let a = 0; a < dx; a++) for (let b = a + 1; b < dx; b++) s.xx[b * dx + a] = s.xx[a * dx + b] as number;
  return s;
}

/** a − b (the stats of a's rows that are not in b). */
export function subtractStats(a: RidgeStats, b: RidgeStats): RidgeStats {
  const out = emptyStats(a.dx, a.dy);
  out.n = a.n - b.n;
  for (let k = 0; k < a.sx.length; k++) out.sx[k] = (a.sx[k] as number) - (b.sx[k] as number);
  for (let k = 0; k < a.sy.length; k++) out.sy[k] = (a.sy[k] as number) - (b.sy[k] as number);
  for (let k = 0; k < a.xx.length; k++) out.xx[k] = (a.xx[k] as number) - (b.xx[k] as number);
  for (let k = 0; k < a.xy.length; k++) out.xy[k] = (a.xy[k] as number) - (b.xy[k] as number);
  return out;
}

export interface RidgeOptions {
  /** α = lambda · tr(Cxx) / dx, i.e. relative to the mean feature variance × n (default 0.01). */
  lambda?: number;
  /** Absolute α (overrides lambda). */
  alpha?: number;
}

export interface RidgeMap {
  dx: number;
  dy: number;
  /** dx×dy, row-major. */
  w: Float64Array;
  meanX: Float64Array;
  meanY: Float64Array;
  alpha: number;
  n: number;
}

/** Closed-form ridge with an unpenalised intercept (features centred by the fit's means). */
export function fitRidge(stats: RidgeStats, opts: RidgeOptions = {}): RidgeMap {
  const { n, dx, dy } = stats;
  if (n < 2) throw new RangeError(`ridge needs at least 2 pairs, got ${n}`);
  const meanX = Float64Array.from(stats.sx, (v) => v / n);
  const meanY = Float64Array.from(stats.sy, (v) => v / n);
  const a = new Float64Array(dx * dx);
  let trace = 0;
  for (let i = 0; i < dx; i++) {
    for (let j = 0; j < dx; j++)
      a[i * dx + j] = (stats.xx[i * dx + j] as number) - n * (meanX[i] as number) * (meanX[j] as number);
    trace += a[i * dx + i] as number;
  }
  const alpha = opts.alpha ?? (opts.lambda ?? 0.01) * Math.max(trace / dx, 1e-12);
  for (let i = 0; i < dx; i++) a[i * dx + i]! += alpha;
  const b = new Float64Array(dx * dy);
  for (let i = 0; i < dx; i++) {
    for (let j = 0; j < dy; j++)
      b[i * dy + j] = (stats.xy[i * dy + j] as number) - n * (meanX[i] as number) * (meanY[j] as number);
  }
  cholesky(a, dx);
  choleskySolve(a, dx, b, dy);
  return { dx, dy, w: b, meanX, meanY, alpha, n };
}

/** (x − μx)·W for the listed rows (all by default): predicted centred text features. */
export function applyRidge(map: RidgeMap, x: Matrix, rows?: ArrayLike<number>): Matrix {
  if (x.cols !== map.dx) throw new RangeError(`applyRidge: expected ${map.dx} columns, got ${x.cols}`);
  const m = rows ? rows.length : x.rows;
  const { dx, dy, w } = map;
  const out = new Float32Array(m * dy);
  const acc = new Float64Array(dy);
  for (let k = 0; k < m; k++) {
    const i = rows ? (rows[k] as number) : k;
    acc.fill(0);
    for (let a = 0; a < dx; a++) {
      const v = (x.data[i * dx + a] as number) - (map.meanX[a] as number);
      if (v === 0) continue;
      const o = a * dy;
      for (let b = 0; b < dy; b++) acc[b]! += v * (w[o + b] as number);
    }
    for (let b = 0; b < dy; b++) out[k * dy + b] = acc[b] as number;
  }
  return { data: out, rows: m, cols: dy };
}

/** y − μy for the listed rows. */
export function centreRows(y: Matrix, mean: Float64Array, rows?: ArrayLike<number>): Matrix {
  const m = rows ? rows.length : y.rows;
  const d = y.cols;
  const out = new Float32Array(m * d);
  for (let k = 0; k < m; k++) {
    const i = rows ? (rows[k] as number) : k;
    for (let b = 0; b < d; b++) out[k * d + b] = (y.data[i * d + b] as number) - (mean[b] as number);
  }
  return { data: out, rows: m, cols: d };
}

/** cos((x_i − μx)W, y_i − μy) for the listed rows. */
export function ridgeScores(map: RidgeMap, x: Matrix, y: Matrix, rows: ArrayLike<number>): Float32Array {
  return pairedCosine(applyRidge(map, x, rows), centreRows(y, map.meanY, rows));
}

export interface CrossFitOptions extends RidgeOptions {
  /** K (default 5). */
  folds?: number;
  seed?: number;
  /** Pairs the maps may learn from (default all). Others (e.g. held-out) are scored by the map fit on all of them. */
  fitMask?: Uint8Array;
  /** Pairs sharing an image share a fold (no sibling caption leaks the image into its own map). */
  groups?: Int32Array;
}

export interface CrossFitResult {
  scores: Float32Array;
  /** Fold of each pair (−1: not in fitMask). */
  fold: Int8Array;
  alpha: number[];
}

/** Cross-fitted ridge alignment: every fitted pair is scored by the map trained on the other K−1 folds. */
export function crossFittedAlignment(x: Matrix, y: Matrix, opts: CrossFitOptions = {}): CrossFitResult {
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
  const perFold = foldRows.map((rows) => ridgeStats(x, y, rows));
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
    const s = ridgeScores(map, x, y, rows);
    for (let k = 0; k < rows.length; k++) scores[rows[k] as number] = s[k] as number;
  }
  if (outside.length > 0) {
    const map = fitRidge(total, opts);
    const s = ridgeScores(map, x, y, outside);
    for (let k = 0; k < outside.length; k++) scores[outside[k] as number] = s[k] as number;
  }
  return { scores, fold, alpha };
}
