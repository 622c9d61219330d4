// The dense linear algebra the alignment score and the evaluation need, behind one interface:
// plain-JS loops here (exact float64 sums; fine for tests and small data), ONNX Gemm graphs
// from the compute layer at scale (compute/kernels.ts), passed in by the caller.
import type { Matrix } from '../compute/types';
import { applyRidge, ridgeStats, type RidgeMap, type RidgeStats } from './alignment';
import { dotBlock, rowDot, rowNorm } from './vectors';

export interface LinearKernels {
  /** Ridge sufficient statistics of the listed rows (all when absent). */
  ridgeStats(x: Matrix, y: Matrix, rows?: ArrayLike<number>): Promise<RidgeStats>;
  /** (x_i − μx) W for the listed rows (all when absent). */
  applyRidge(map: RidgeMap, x: Matrix, rows?: ArrayLike<number>): Promise<Matrix>;
  /** A[aRows] · B[bRows]ᵀ, row-major, into `out` when it is large enough. */
  dotBlock(
    a: Matrix,
    aRows: ArrayLike<number>,
    b: Matrix,
    bRows: ArrayLike<number>,
    out?: Float32Array,
  ): Promise<Float32Array>;
  /**
   * For each query row (an index into x), its largest cosine with a gallery row other than
   * itself (−Infinity when there is none).
   */
  maxCosine(x: Matrix, queryRows: ArrayLike<number>, galleryRows: ArrayLike<number>): Promise<Float32Array>;
}

export const jsKernels: LinearKernels = {
  ridgeStats: (x, y, rows) => Promise.resolve(ridgeStats(x, y, rows)),
  applyRidge: (map, x, rows) => Promise.resolve(applyRidge(map, x, rows)),
  dotBlock: (a, aRows, b, bRows, out) => Promise.resolve(dotBlock(a, aRows, b, bRows, out)),
  maxCosine: (x, queryRows, galleryRows) => Promise.resolve(maxCosine(x, queryRows, galleryRows)),
};

function maxCosine(x: Matrix, queryRows: ArrayLike<number>, galleryRows: ArrayLike<number>): Float32Array {
  const inv = (r: number): number => {
    const v = rowNorm(x, r);
    return v > 0 ? 1 / v : 0;
  };
  const galleryInv = Float64Array.from({ length: galleryRows.length }, (_, j) =>
    inv(galleryRows[j] as number),
  );
  const out = new Float32Array(queryRows.length).fill(-Infinity);
  for (let q = 0; q < queryRows.length; q++) {
    const r = queryRows[q] as number;
    const iq = inv(r);
    let best = -Infinity;
    for (let j = 0; j < galleryRows.length; j++) {
      const g = galleryRows[j] as number;
      if (g === r) continue;
      const c = rowDot(x, r, x, g) * iq * (galleryInv[j] as number);
      if (c > best) best = c;
    }
    out[q] = best;
  }
  return out;
}
