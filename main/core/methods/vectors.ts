// Small row-wise helpers over row-major Float32 matrices.
import type { Matrix } from '../compute/types';

export function matrix(rows: number, cols: number, data?: Float32Array): Matrix {
  const d = data ?? new Float32Array(rows * cols);
  if (d.length !== rows * cols)
    throw new RangeError(`matrix data has ${d.length} values, expected ${rows}×${cols}`);
  return { data: d, rows, cols };
}

/** Copy of the selected rows. */
export function takeRows(m: Matrix, rows: ArrayLike<number>): Matrix {
  const out = new Float32Array(rows.length * m.cols);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k] as number;
    out.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), k * m.cols);
  }
  return { data: out, rows: rows.length, cols: m.cols };
}

/** L2-normalises every row in place (zero rows stay zero) and returns the matrix. */
export function l2NormalizeRows(m: Matrix): Matrix {
  const { data, rows, cols } = m;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0;
    for (let c = 0; c < cols; c++) s += (data[o + c] as number) ** 2;
    if (s > 0) {
      const inv = 1 / Math.sqrt(s);
      for (let c = 0; c < cols; c++) data[o + c] = (data[o + c] as number) * inv;
    }
  }
  return m;
}

/** Dot product of row a of A and row b of B (same width). */
export function rowDot(A: Matrix, a: number, B: Matrix, b: number): number {
  const d = A.cols;
  const x = A.data;
  const y = B.data;
  const oa = a * d;
  const ob = b * d;
  let s = 0;
  for (let c = 0; c < d; c++) s += (x[oa + c] as number) * (y[ob + c] as number);
  return s;
}

export function rowNorm(A: Matrix, a: number): number {
  return Math.sqrt(rowDot(A, a, A, a));
}

/** Squared Euclidean distance between row a of A and row b of B. */
export function rowSqDist(A: Matrix, a: number, B: Matrix, b: number): number {
  const d = A.cols;
  const x = A.data;
  const y = B.data;
  const oa = a * d;
  const ob = b * d;
  let s = 0;
  for (let c = 0; c < d; c++) {
    const t = (x[oa + c] as number) - (y[ob + c] as number);
    s += t * t;
  }
  return s;
}

/** Cosine of row i of A with row i of B, for every i (zero rows score 0). */
export function pairedCosine(A: Matrix, B: Matrix): Float32Array {
  if (A.rows !== B.rows || A.cols !== B.cols) throw new RangeError('pairedCosine: shapes differ');
  const out = new Float32Array(A.rows);
  for (let i = 0; i < A.rows; i++) {
    const na = rowNorm(A, i);
    const nb = rowNorm(B, i);
    out[i] = na > 0 && nb > 0 ? rowDot(A, i, B, i) / (na * nb) : 0;
  }
  return out;
}

/**
 * C[i][j] = A[rows[i]] · B[cols[j]] for a block of rows of A against a list of rows of B.
 * The caller bounds memory by choosing the block; `out` is reused between blocks.
 */
export function dotBlock(
  A: Matrix,
  aRows: ArrayLike<number>,
  B: Matrix,
  bRows: ArrayLike<number>,
  out?: Float32Array,
): Float32Array {
  const d = A.cols;
  if (B.cols !== d) throw new RangeError('dotBlock: widths differ');
  const na = aRows.length;
  const nb = bRows.length;
  const res = out && out.length >= na * nb ? out : new Float32Array(na * nb);
  const x = A.data;
  const y = B.data;
  for (let i = 0; i < na; i++) {
    const oa = (aRows[i] as number) * d;
    const oi = i * nb;
    for (let j = 0; j < nb; j++) {
      const ob = (bRows[j] as number) * d;
      let s = 0;
      for (let c = 0; c < d; c++) s += (x[oa + c] as number) * (y[ob + c] as number);
      res[oi + j] = s;
    }
  }
  return res;
}

/** Rows per block so that a block × cols buffer stays under `maxFloats`. */
export function blockRows(cols: number, maxFloats = 1 << 22): number {
  return Math.max(1, Math.floor(maxFloats / Math.max(1, cols)));
}
