// Full-batch k-means (Lloyd) over a row source: each pass assigns every chunk with the
// ONNX graph and, while the chunk is still in cache, adds it to its cluster sums.
//
// Iteration semantics (as scikit-learn): `iterations` is the number of centroid updates;
// after the last update one more assignment pass makes `assignment`, `distances` and
// `inertia` describe the returned centroids. onIteration(it, inertia) follows every
// pass, `it` = updates done so far (0 = the seeds).
import { CentroidAssigner } from './graphs/assign';
import { ClusterSums, largestIndices } from './kmeans-update';
import type { RowSource } from './row-source';
import type { SessionCache } from './sessions';
import { throwIfAborted } from './tensors';
import type { KMeansOptions, KMeansResult, Matrix, Metric } from './types';

/** Per-row multipliers 1/|x| (cosine) from the graph's |x|² output. */
export function inverseNorms(sqnorm: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = sqnorm[i]! > 0 ? 1 / Math.sqrt(sqnorm[i]!) : 0;
  return out;
}

/**
 * One pass: assign every row to the current centroids; with `sums`, also accumulate the
 * cluster sums for the next update.
 */
export async function assignPass(
  src: RowSource,
  assigner: CentroidAssigner,
  assignment: Int32Array,
  distances: Float32Array,
  sums: ClusterSums | undefined,
  signal?: AbortSignal,
): Promise<number> {
  const N = src.rows;
  const step = assigner.chunkRows(N);
  let inertia = 0;
  for (let s = 0; s < N; s += step) {
    throwIfAborted(signal);
    const n = Math.min(step, N - s);
    const x = await src.read(s, n);
    const r = await assigner.run(x, n);
    assignment.set(r.index, s);
    distances.set(r.distance, s);
    for (let i = 0; i < n; i++) inertia += r.distance[i]!;
    if (sums) sums.addRows(x, n, r.index, r.sqnorm ? inverseNorms(r.sqnorm, n) : undefined);
  }
  return inertia;
}

/**
 * Re-seeds every empty cluster with the row farthest from its centroid (taken from a
 * cluster that keeps at least one member), as scikit-learn does. Returns how many.
 */
export async function repairEmptyClusters(
  src: RowSource,
  sums: ClusterSums,
  assignment: Int32Array,
  distances: Float32Array,
  metric: Metric,
): Promise<number> {
  const empty = sums.emptyClusters();
  if (empty.length === 0) return 0;
  const d = src.cols;
  let cands = largestIndices(distances, empty.length * 4 + 16);
  let ptr = 0;
  let widened = false;
  let repaired = 0;
  for (const j of empty) {
    for (;;) {
      while (
        ptr < cands.length &&
        !(sums.counts[assignment[cands[ptr]!]!]! > 1 && distances[cands[ptr]!]! > 0)
      )
        ptr++;
      if (ptr < cands.length || widened) break;
      cands = largestIndices(distances, distances.length);
      ptr = 0;
      widened = true;
    }
    if (ptr >= cands.length) break; // fewer distinct rows than clusters: nothing to move
    const i = cands[ptr++]!;
    const row = Float32Array.from((await src.read(i, 1)).subarray(0, d));
    if (metric === 'cosine') {
      let s = 0;
      for (let t = 0; t < d; t++) s += row[t]! * row[t]!;
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let t = 0; t < d; t++) row[t] = row[t]! * inv;
    }
    sums.move(row, assignment[i]!, j);
    assignment[i] = j;
    distances[i] = 0;
    repaired++;
  }
  return repaired;
}

export interface LloydOptions extends KMeansOptions {
  cache?: SessionCache;
  /** Called after each update with the number of clusters re-seeded (tests, logs). */
  onRepair?: (it: number, repaired: number) => void;
  /** Rows that went through the Gemm in pass `it` (all of them unless bounds pruned some). */
  onPassStats?: (it: number, gemmRows: number) => void;
}

export async function lloyd(src: RowSource, init: Matrix, opts: LloydOptions): Promise<KMeansResult> {
  const N = src.rows;
  const d = src.cols;
  const k = init.rows;
  const centroids = Float32Array.from(init.data.subarray(0, k * d));
  const assigner = CentroidAssigner.create(d, opts.metric, opts.cache);
  const sums = new ClusterSums(k, d);
  const assignment = new Int32Array(N);
  const distances = new Float32Array(N);
  const tol = opts.tol ?? 0;
  let prev = Infinity;
  let it = 0;
  let inertia = 0;
  for (;;) {
    assigner.setCentroids({ data: centroids, rows: k, cols: d });
    const last = it >= opts.iterations;
    sums.reset();
    inertia = await assignPass(src, assigner, assignment, distances, last ? undefined : sums, opts.signal);
    opts.onIteration?.(it, inertia);
    opts.onPassStats?.(it, N);
    if (last) break;
    if (
      tol > 0 &&
      Number.isFinite(prev) &&
      Math.abs(prev - inertia) <= tol * Math.max(inertia, Number.MIN_VALUE)
    )
      break;
    const repaired = await repairEmptyClusters(src, sums, assignment, distances, opts.metric);
    if (repaired > 0) opts.onRepair?.(it, repaired);
    sums.centroidsInto(centroids, opts.metric);
    prev = inertia;
    it++;
  }
  return { centroids: { data: centroids, rows: k, cols: d }, assignment, distances, inertia, iterations: it };
}
