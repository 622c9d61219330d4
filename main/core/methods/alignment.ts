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
