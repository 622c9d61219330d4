// Where rows come from: an in-memory matrix or a file read in chunks. Algorithms that
// may see more data than fits in memory (streaming k-means, covariance) take this.
import type { Matrix } from './types';

export interface RowSource {
  readonly rows: number;
  readonly cols: number;
  /**
   * Rows [start, start + count) as a row-major Float32Array of count × cols values.
   * The array may be reused by the next call: copy what you keep.
   */
  read(start: number, count: number): Float32Array | Promise<Float32Array>;
}

/** A zero-copy row source over an in-memory matrix. */
export function matrixSource(m: Matrix): RowSource {
  return {
    rows: m.rows,
    cols: m.cols,
    read: (start, count) => m.data.subarray(start * m.cols, (start + count) * m.cols),
  };
}
