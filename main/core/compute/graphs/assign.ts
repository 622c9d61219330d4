// Nearest-centroid assignment of a chunk of rows: the O(N·K·d) step of k-means.
//   scores = Gemm(x, c, cn, alpha = −2, beta = 1, transB)  = |c|² − 2·x·cᵀ   [n, k]
//   index  = ArgMin(scores)                                                  [n]
// argmin over |c|² − 2x·c equals argmin over |x − c|² (|x|² is constant per row), so the
// Gemm never needs |x|². The distance to the chosen centroid is then recomputed exactly
// from the gathered centroid row (Gather + Sub + ReduceSumSquare, O(n·d)) instead of
// |x|² + min(scores), which loses digits to cancellation when |x|² ≫ distance.
// Cosine mode feeds cn = 0 (so index = argmax x·c) and returns x·c and |x|².
import { GraphBuilder, attr } from '../graph-builder';
import { rowsPerChunk } from '../chunking';
import { sessions as defaultSessions, type SessionCache } from '../sessions';
import { f32, outputF32, outputI32, rowsOf, throwIfAborted } from '../tensors';
import type { Matrix, Metric } from '../types';

export function buildAssignGraph(d: number, metric: Metric): Uint8Array {
  const g = new GraphBuilder(`assign_${metric}_${d}`);
  const x = g.input('x', 'float32', ['n', d]);
  const c = g.input('c', 'float32', ['k', d]);
  const cn = g.input('cn', 'float32', ['k']);
  const scores = g.op('Gemm', [x, c, cn], { alpha: attr.float(-2), beta: attr.float(1), transB: 1 });
  const idx = g.op('ArgMin', [scores], { axis: 1, keepdims: 0 });
  const chosen = g.op('Gather', [c, idx], { axis: 0 });
  g.output(g.op('Cast', [idx], { to: 6 /* INT32 */ }), 'int32', ['n'], 'index');
  if (metric === 'l2') {
    const diff = g.op('Sub', [x, chosen]);
    g.output(g.op('ReduceSumSquare', [diff], { axes: [1], keepdims: 0 }), 'float32', ['n'], 'value');
  } else {
    const axes = g.constant('int64', [1]);
    g.output(g.op('ReduceSum', [g.op('Mul', [x, chosen]), axes], { keepdims: 0 }), 'float32', ['n'], 'value');
    g.output(g.op('ReduceSumSquare', [x], { axes: [1], keepdims: 0 }), 'float32', ['n'], 'sqnorm');
  }
  return g.build();
}

export interface ChunkAssignment {
  /** Nearest centroid of each row. */
  index: Int32Array;
  /** Squared L2 distance (l2) or 1 − cosine (cosine) to that centroid. */
  distance: Float32Array;
  /** cosine only: |x|² of each row (the k-means update needs x/|x|). */
  sqnorm?: Float32Array;
}

/** Bytes of intermediates one row costs in the assignment graph. */
export function assignBytesPerRow(k: number, d: number): number {
  return 4 * (k + 3 * d + 8);
}

/**
 * Assigns rows to the nearest of a fixed set of centroids, chunk by chunk, with one
 * session per (d, metric) reused across calls and centroid updates.
 */
export class CentroidAssigner {
  private c: Float32Array = new Float32Array(0);
  private cn: Float32Array = new Float32Array(0);
  private k = 0;

  private constructor(
    readonly dims: number,
    readonly metric: Metric,
    private readonly cache: SessionCache,
  ) {}

  static create(dims: number, metric: Metric, cache: SessionCache = defaultSessions): CentroidAssigner {
    return new CentroidAssigner(dims, metric, cache);
  }

  /** For cosine the centroids must be unit length (k-means keeps them so). */
  setCentroids(c: Matrix): void {
    if (c.cols !== this.dims) throw new Error(`centroids have ${c.cols} dims, expected ${this.dims}`);
    this.k = c.rows;
    this.c = c.data.subarray(0, c.rows * c.cols);
    this.cn = new Float32Array(c.rows);
    if (this.metric === 'l2') {
      const d = this.dims;
      for (let j = 0; j < c.rows; j++) {
        let s = 0;
        for (let t = j * d, e = t + d; t < e; t++) s += this.c[t]! * this.c[t]!;
        this.cn[j] = s;
      }
    }
  }

  get centroidCount(): number {
    return this.k;
  }

  /** Rows per run that fit the memory budget for the current K. */
  chunkRows(total?: number): number {
    return rowsPerChunk(assignBytesPerRow(this.k, this.dims), total === undefined ? {} : { total });
  }

  /** Assigns `rows` rows of `x` (row-major, `rows × dims`) in one graph run. */
  async run(x: Float32Array, rows: number): Promise<ChunkAssignment> {
    if (this.k === 0) throw new Error('setCentroids first');
    const session = await this.cache.get(`assign:${this.metric}:${this.dims}`, () =>
      buildAssignGraph(this.dims, this.metric),
    );
    const out = await session.run({
      x: f32(x.subarray(0, rows * this.dims), [rows, this.dims]),
      c: f32(this.c, [this.k, this.dims]),
      cn: f32(this.cn, [this.k]),
    });
    const index = outputI32(out, 'index');
    const value = outputF32(out, 'value');
    if (this.metric === 'l2') return { index, distance: value };
    const sqnorm = outputF32(out, 'sqnorm');
    const distance = new Float32Array(rows);
    for (let i = 0; i < rows; i++) {
      const n = Math.sqrt(sqnorm[i]!);
      distance[i] = n > 0 ? 1 - value[i]! / n : 1;
    }
    return { index, distance, sqnorm };
  }
}

/** Nearest centroid and distance for every row of `x`. */
export async function assignNearest(
  x: Matrix,
  centroids: Matrix,
  opts: { metric?: Metric; chunkRows?: number; signal?: AbortSignal; cache?: SessionCache } = {},
): Promise<{ assignment: Int32Array; distances: Float32Array }> {
  const metric = opts.metric ?? 'l2';
  const assigner = CentroidAssigner.create(x.cols, metric, opts.cache);
  assigner.setCentroids(metric === 'cosine' ? normalizeRows(centroids) : centroids);
  const assignment = new Int32Array(x.rows);
  const distances = new Float32Array(x.rows);
  const step = opts.chunkRows ?? assigner.chunkRows(x.rows);
  for (let s = 0; s < x.rows; s += step) {
    throwIfAborted(opts.signal);
    const n = Math.min(step, x.rows - s);
    const r = await assigner.run(rowsOf(x, s, n), n);
    assignment.set(r.index, s);
    distances.set(r.distance, s);
  }
  return { assignment, distances };
}

/** A unit-length copy of each row (zero rows stay zero). */
export function normalizeRows(m: Matrix): Matrix {
  const out = new Float32Array(m.rows * m.cols);
  const d = m.cols;
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let t = i * d, e = t + d; t < e; t++) s += m.data[t]! * m.data[t]!;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let t = i * d, e = t + d; t < e; t++) out[t] = m.data[t]! * inv;
  }
  return { data: out, rows: m.rows, cols: m.cols };
}
