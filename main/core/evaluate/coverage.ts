// Coverage and density of a selection against the full set (Naeem et al., 2020), k = 5.
// Real samples X = reference pairs (the full set, or a seeded sample of it), fake samples
// Y = selected pairs; B(x, r) = Euclidean ball, r_k(x) = distance to x's k-th nearest other
// reference point.
//   density  = 1/(k·M) Σ_j Σ_i 1[Y_j ∈ B(X_i, r_k(X_i))]
//   coverage = 1/N Σ_i 1[∃ j: Y_j ∈ B(X_i, r_k(X_i))]
// A selected pair that is also a reference point lies in its own ball (distance 0), as the
// definitions say; every method at the same budget gets that equally.
import type { Matrix } from '../compute/types';
import { blockRows, dotBlock } from '../methods/vectors';

function sqNorms(x: Matrix, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const o = (rows[k] as number) * x.cols;
    let s = 0;
    for (let c = 0; c < x.cols; c++) s += (x.data[o + c] as number) ** 2;
    out[k] = s;
  }
  return out;
}

/**
 * r_k for every reference row: Euclidean distance to its k-th nearest other reference row.
 * O(R²·d) in blocks; pass precomputed radii (e.g. from the ONNX top-k) to coverageDensity at scale.
 */
export function knnRadii(
  x: Matrix,
  reference: ArrayLike<number>,
  k = 5,
  maxBlockFloats?: number,
): Float32Array {
  const R = reference.length;
  if (R <= k) throw new RangeError(`need more than k = ${k} reference points, got ${R}`);
  const norms = sqNorms(x, reference);
  const radii = new Float32Array(R);
  const block = Math.max(1, Math.min(R, blockRows(R, maxBlockFloats)));
  let buf = new Float32Array(0);
  const best = new Float64Array(k);
  for (let a0 = 0; a0 < R; a0 += block) {
    const a1 = Math.min(R, a0 + block);
    const rows = Array.from({ length: a1 - a0 }, (_, t) => reference[a0 + t] as number);
    if (buf.length < rows.length * R) buf = new Float32Array(rows.length * R);
    dotBlock(x, rows, x, reference, buf);
    for (let t = 0; t < rows.length; t++) {
      const a = a0 + t;
      best.fill(Infinity); // k smallest squared distances, ascending
      const o = t * R;
      for (let b = 0; b < R; b++) {
        if (b === a) continue;
        const d2 = Math.max(0, (norms[a] as number) + (norms[b] as number) - 2 * (buf[o + b] as number));
        if (d2 >= (best[k - 1] as number)) continue;
        let p = k - 1;
        while (p > 0 && (best[p - 1] as number) > d2) {
          best[p] = best[p - 1] as number;
          p--;
        }
        best[p] = d2;
      }
      radii[a] = Math.sqrt(best[k - 1] as number);
    }
  }
  return radii;
}

export interface CoverageDensity {
  coverage: number;
  density: number;
  k: number;
  reference: number;
  selected: number;
}

export interface CoverageOptions {
  k?: number;
  /** r_k per reference row (same order as `reference`). Computed when omitted. */
  radii?: Float32Array;
  maxBlockFloats?: number;
}

/** Coverage and density of the `selected` rows against the `reference` rows. */
export function coverageDensity(
  x: Matrix,
  reference: ArrayLike<number>,
  selected: ArrayLike<number>,
  opts: CoverageOptions = {},
): CoverageDensity {
  const k = opts.k ?? 5;
  const R = reference.length;
  const M = selected.length;
  const radii = opts.radii ?? knnRadii(x, reference, k, opts.maxBlockFloats);
  if (radii.length !== R) throw new RangeError('radii length differs from the reference count');
  if (M === 0) return { coverage: 0, density: 0, k, reference: R, selected: 0 };
  const rn = sqNorms(x, reference);
  const sn = sqNorms(x, selected);
  const block = Math.max(1, Math.min(R, blockRows(M, opts.maxBlockFloats)));
  let buf = new Float32Array(0);
  let covered = 0;
  let inBalls = 0;
  for (let a0 = 0; a0 < R; a0 += block) {
    const a1 = Math.min(R, a0 + block);
    const rows = Array.from({ length: a1 - a0 }, (_, t) => reference[a0 + t] as number);
    if (buf.length < rows.length * M) buf = new Float32Array(rows.length * M);
    dotBlock(x, rows, x, selected, buf);
    for (let t = 0; t < rows.length; t++) {
      const a = a0 + t;
      const r2 = (radii[a] as number) ** 2;
      const o = t * M;
      let count = 0;
      for (let j = 0; j < M; j++) {
        const d2 = (rn[a] as number) + (sn[j] as number) - 2 * (buf[o + j] as number);
        // Small tolerance: float32 dots make a point's distance to itself slightly non-zero.
        if (d2 <= r2 * (1 + 1e-6) + 1e-9) count++;
      }
      inBalls += count;
      if (count > 0) covered++;
    }
  }
  return { coverage: covered / R, density: inBalls / (k * M), k, reference: R, selected: M };
}
