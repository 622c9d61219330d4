// k-means on a training sample, then one assignment pass over every row: faiss's default
// (at most 256 points per centroid train; above that it samples). At CC3M scale full-batch
// Lloyd costs 20 passes over 3M rows (~12 min on 2 cores); a 256·K sample trains in under
// a minute and the extra rows add little to centroids that 256 points each already pin down.
import { CentroidAssigner, normalizeRows } from './graphs/assign';
import { createRng, sampleIndices } from './prng';
import type { RowSource } from './row-source';
import { throwIfAborted } from './tensors';
import type { KMeansResult, Matrix, Metric } from './types';

/** faiss's `max_points_per_centroid`. */
export const MAX_POINTS_PER_CENTROID = 256;

/** The listed rows (ascending) of a row source, copied into one matrix. */
export async function gatherRows(src: RowSource, rows: Int32Array, chunk = 16384): Promise<Matrix> {
  const d = src.cols;
  const data = new Float32Array(rows.length * d);
  let k = 0;
  for (let s = 0; s < src.rows && k < rows.length; s += chunk) {
    const n = Math.min(chunk, src.rows - s);
    if ((rows[k] as number) >= s + n) continue;
    const block = await src.read(s, n);
    while (k < rows.length && (rows[k] as number) < s + n) {
      const r = (rows[k] as number) - s;
      data.set(block.subarray(r * d, (r + 1) * d), k * d);
      k++;
    }
  }
  return { data, rows: rows.length, cols: d };
}

/** A seeded sample of `size` row indices (ascending). */
export function trainingSample(total: number, size: number, seed: number): Int32Array {
  return sampleIndices(total, size, createRng(seed ^ 0x5eed));
}

/** Nearest centroid of every row of the source, in one pass. */
export async function assignAll(
  src: RowSource,
  centroids: Matrix,
  metric: Metric,
  opts: {
    signal?: AbortSignal | undefined;
    onProgress?: ((done: number, total: number) => void) | undefined;
  } = {},
): Promise<Pick<KMeansResult, 'assignment' | 'distances' | 'inertia'>> {
  const assigner = CentroidAssigner.create(src.cols, metric);
  assigner.setCentroids(metric === 'cosine' ? normalizeRows(centroids) : centroids);
  const assignment = new Int32Array(src.rows);
  const distances = new Float32Array(src.rows);
  const step = assigner.chunkRows(src.rows);
  let inertia = 0;
  for (let s = 0; s < src.rows; s += step) {
    throwIfAborted(opts.signal);
    const n = Math.min(step, src.rows - s);
    const r = await assigner.run(await src.read(s, n), n);
    assignment.set(r.index, s);
    distances.set(r.distance, s);
    for (let i = 0; i < n; i++) inertia += r.distance[i]!;
    opts.onProgress?.(s + n, src.rows);
  }
  return { assignment, distances, inertia };
}
