// PCA: covariance by Gemm (graphs/covariance), eigendecomposition in TS (eigen.ts), and
// the projection as one Gemm per chunk. Whitening scales component i by λᵢ^−½ so the
// projected training rows have identity covariance (the TL;DR feature step).
import { GraphBuilder } from './graph-builder';
import { covariance } from './graphs/covariance';
import { symmetricEigen } from './eigen';
import { rowsPerChunk } from './chunking';
import { matrixSource, type RowSource } from './row-source';
import { sessions as defaultSessions, type SessionCache } from './sessions';
import { f32, outputF32, throwIfAborted } from './tensors';
import type { Matrix } from './types';

export interface PcaModel {
  dims: number;
  components: number;
  mean: Float32Array;
  /** components × dims, unit rows, by decreasing eigenvalue (sign: largest entry positive). */
  basis: Float32Array;
  /** Variance along each component (covariance eigenvalues, N − 1 normalisation). */
  eigenvalues: Float64Array;
  /** Share of the total variance each component explains. */
  explainedRatio: Float64Array;
  whiten: boolean;
  /** Row i of the projection: basis row i × λᵢ^−½ when whitening, else the basis row. */
  projection: Float32Array;
}

export interface PcaOptions {
  /** Output dimensions (≤ input dims). */
  components: number;
  /** Scale by eigenvalue^−0.5. */
  whiten?: boolean;
  /**
   * Eigenvalues at or below this fraction of the largest are treated as zero: a whitened
   * component with no variance would be scaled by 1/√0, so it is output as 0 instead.
   */
  relativeFloor?: number;
  signal?: AbortSignal;
  cache?: SessionCache;
}

function isMatrix(x: Matrix | RowSource): x is Matrix {
  return (x as Matrix).data instanceof Float32Array;
}

export async function fitPca(x: Matrix | RowSource, opts: PcaOptions): Promise<PcaModel> {
  const src = isMatrix(x) ? matrixSource(x) : x;
  const d = src.cols;
  const n = opts.components;
  if (!(n >= 1 && n <= d)) throw new Error(`PCA to ${n} components from ${d} dims`);
  const covOpts: { signal?: AbortSignal; cache?: SessionCache } = {};
  if (opts.signal) covOpts.signal = opts.signal;
  if (opts.cache) covOpts.cache = opts.cache;
  const { mean, cov } = await covariance(src, covOpts);
  const eig = symmetricEigen(cov, d);
  let total = 0;
  for (const v of eig.values) total += Math.max(0, v);
  const floor = (opts.relativeFloor ?? 1e-10) * Math.max(0, eig.values[0] ?? 0);
  const basis = new Float32Array(n * d);
  const projection = new Float32Array(n * d);
  const eigenvalues = new Float64Array(n);
  const explainedRatio = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lambda = Math.max(0, eig.values[i]!);
    eigenvalues[i] = lambda;
    explainedRatio[i] = total > 0 ? lambda / total : 0;
    // deterministic sign: the largest-magnitude entry is positive
    let big = 0;
    for (let k = 0; k < d; k++)
      if (Math.abs(eig.vectors[i * d + k]!) > Math.abs(eig.vectors[i * d + big]!)) big = k;
    const sign = eig.vectors[i * d + big]! < 0 ? -1 : 1;
    const scale = opts.whiten ? (lambda > floor ? 1 / Math.sqrt(lambda) : 0) : 1;
    for (let k = 0; k < d; k++) {
      const v = sign * eig.vectors[i * d + k]!;
      basis[i * d + k] = v;
      projection[i * d + k] = v * scale;
    }
  }
  return {
    dims: d,
    components: n,
    mean: Float32Array.from(mean),
    basis,
    eigenvalues,
    explainedRatio,
    whiten: opts.whiten ?? false,
    projection,
  };
}

export function buildProjectGraph(d: number): Uint8Array {
  const g = new GraphBuilder(`project_${d}`);
  const x = g.input('x', 'float32', ['n', d]);
  const mean = g.input('mean', 'float32', [d]);
  const w = g.input('w', 'float32', ['c', d]);
  g.output(g.op('Gemm', [g.op('Sub', [x, mean]), w], { transB: 1 }), 'float32', ['n', 'c'], 'y');
  return g.build();
}

/** (x − mean) · projectionᵀ for every row: rows × components. */
export async function transformPca(
  model: PcaModel,
  x: Matrix | RowSource,
  opts: { signal?: AbortSignal; cache?: SessionCache; chunkRows?: number } = {},
): Promise<Matrix> {
  const src = isMatrix(x) ? matrixSource(x) : x;
  const d = model.dims;
  if (src.cols !== d) throw new Error(`PCA model expects ${d} dims, got ${src.cols}`);
  const c = model.components;
  const session = await (opts.cache ?? defaultSessions).get(`project:${d}`, () => buildProjectGraph(d));
  const out = new Float32Array(src.rows * c);
  const step = opts.chunkRows ?? rowsPerChunk(8 * d + 4 * c, { preferred: 8192, total: src.rows });
  const meanT = f32(model.mean, [d]);
  const wT = f32(model.projection, [c, d]);
  for (let s = 0; s < src.rows; s += step) {
    throwIfAborted(opts.signal);
    const n = Math.min(step, src.rows - s);
    const rows = await src.read(s, n);
    const r = await session.run({ x: f32(rows.subarray(0, n * d), [n, d]), mean: meanT, w: wT });
    out.set(outputF32(r, 'y'), s * c);
  }
  return { data: out, rows: src.rows, cols: c };
}
