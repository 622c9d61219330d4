// Covariance for PCA: mean in TS (one O(N·d) pass), then per chunk the Gram matrix of
// the centred rows, Gemm(xc, xc, transA) → d × d, summed in float64 across chunks.
import { GraphBuilder } from '../graph-builder';
import { rowsPerChunk } from '../chunking';
import { sessions as defaultSessions, type SessionCache } from '../sessions';
import { f32, outputF32, throwIfAborted } from '../tensors';
import type { RowSource } from '../row-source';

export function buildCovarianceGraph(d: number): Uint8Array {
  const g = new GraphBuilder(`cov_${d}`);
  const x = g.input('x', 'float32', ['n', d]);
  const mean = g.input('mean', 'float32', [d]);
  const xc = g.op('Sub', [x, mean]);
  g.output(g.op('Gemm', [xc, xc], { transA: 1 }), 'float32', [d, d], 'gram');
  return g.build();
}

export interface Covariance {
  mean: Float64Array;
  /** d × d, row-major, divided by (N − 1). */
  cov: Float64Array;
  dims: number;
  rows: number;
}

/** Column means and covariance of all rows of `src`, read chunk by chunk. */
export async function covariance(
  src: RowSource,
  opts: { chunkRows?: number; signal?: AbortSignal; cache?: SessionCache } = {},
): Promise<Covariance> {
  const d = src.cols;
  const N = src.rows;
  const step = opts.chunkRows ?? rowsPerChunk(8 * d, { preferred: 8192, total: N });
  const mean = new Float64Array(d);
  for (let s = 0; s < N; s += step) {
    throwIfAborted(opts.signal);
    const n = Math.min(step, N - s);
    const x = await src.read(s, n);
    for (let i = 0; i < n; i++) for (let j = 0, o = i * d; j < d; j++) mean[j] = mean[j]! + x[o + j]!;
  }
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / Math.max(1, N);
  const session = await (opts.cache ?? defaultSessions).get(`cov:${d}`, () => buildCovarianceGraph(d));
  const meanT = f32(Float32Array.from(mean), [d]);
  const cov = new Float64Array(d * d);
  for (let s = 0; s < N; s += step) {
    throwIfAborted(opts.signal);
    const n = Math.min(step, N - s);
    const x = await src.read(s, n);
    const out = await session.run({ x: f32(x.subarray(0, n * d), [n, d]), mean: meanT });
    const gram = outputF32(out, 'gram');
    for (let t = 0; t < d * d; t++) cov[t] = cov[t]! + gram[t]!;
  }
  const div = Math.max(1, N - 1);
  for (let t = 0; t < d * d; t++) cov[t] = cov[t]! / div;
  return { mean, cov, dims: d, rows: N };
}
