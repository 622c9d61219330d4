// Mini-batch k-means (Sculley 2010, with scikit-learn's per-centre learning rate
// 1/count) for data read through a row source that need not fit in memory. Each epoch
// visits all rows once, in random blocks of contiguous rows (one positioned read each;
// rows within a block are correlated when the file is ordered, blocks are not).
// Clusters that receive no row in an epoch are re-seeded from the farthest rows of the
// epoch's last batch. A final pass assigns every row to the returned centroids.
import { CentroidAssigner } from './graphs/assign';
import { assignPass, inverseNorms, type LloydOptions } from './kmeans-lloyd';
import { ClusterSums, largestIndices } from './kmeans-update';
import { createRng, shuffleInPlace } from './prng';
import type { RowSource } from './row-source';
import { throwIfAborted } from './tensors';
import type { KMeansResult, Matrix } from './types';

export interface MiniBatchOptions extends LloydOptions {
  miniBatch: number;
  /** Rows per contiguous read (default min(256, miniBatch)). */
  blockRows?: number;
}

export async function miniBatchKMeans(
  src: RowSource,
  init: Matrix,
  opts: MiniBatchOptions,
): Promise<KMeansResult> {
  const N = src.rows;
  const d = src.cols;
  const k = init.rows;
  const b = Math.max(1, Math.min(opts.miniBatch, N));
  const block = Math.max(1, Math.min(opts.blockRows ?? 256, b));
  const nBlocks = Math.ceil(N / block);
  const rng = createRng((opts.seed ^ 0x5bd1e995) >>> 0);
  const C = Float32Array.from(init.data.subarray(0, k * d));
  const counts = new Float64Array(k);
  const epochCounts = new Float64Array(k);
  const batch = new Float32Array((b + block) * d);
  const bs = new ClusterSums(k, d);
  const assigner = CentroidAssigner.create(d, opts.metric, opts.cache);
  const order = Int32Array.from({ length: nBlocks }, (_, i) => i);
  const tol = opts.tol ?? 0;
  let prev = Infinity;
  let epoch = 0;
  let lastDist: Float32Array = new Float32Array(0);
  let lastIndex: Int32Array = new Int32Array(0);
  let lastRows = 0;

  while (epoch < opts.iterations) {
    shuffleInPlace(order, rng);
    epochCounts.fill(0);
    let epochInertia = 0;
    let p = 0;
    while (p < nBlocks) {
      throwIfAborted(opts.signal);
      let n = 0;
      while (p < nBlocks && n < b) {
        const start = order[p++]! * block;
        const cnt = Math.min(block, N - start);
        const rows = await src.read(start, cnt);
        batch.set(rows.subarray(0, cnt * d), n * d);
        n += cnt;
      }
      assigner.setCentroids({ data: C, rows: k, cols: d });
      const r = await assigner.run(batch, n);
      bs.reset();
      bs.addRows(batch, n, r.index, r.sqnorm ? inverseNorms(r.sqnorm, n) : undefined);
      for (let j = 0; j < k; j++) {
        const nb = bs.counts[j]!;
        if (nb === 0) continue;
        counts[j] = counts[j]! + nb;
        epochCounts[j] = epochCounts[j]! + nb;
        const keep = 1 - nb / counts[j]!;
        const inv = 1 / counts[j]!;
        const o = j * d;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const v = C[o + t]! * keep + bs.sums[o + t]! * inv;
          C[o + t] = v;
          s += v * v;
        }
        if (opts.metric === 'cosine' && s > 0) {
          const u = 1 / Math.sqrt(s);
          for (let t = 0; t < d; t++) C[o + t] = C[o + t]! * u;
        }
      }
      for (let i = 0; i < n; i++) epochInertia += r.distance[i]!;
      lastDist = r.distance;
      lastIndex = r.index;
      lastRows = n;
    }
    // re-seed clusters no row reached during this epoch
    const dead: number[] = [];
    for (let j = 0; j < k; j++) if (epochCounts[j] === 0) dead.push(j);
    if (dead.length > 0) {
      const inBatch = new Float64Array(k);
      for (let i = 0; i < lastRows; i++) inBatch[lastIndex[i]!] = inBatch[lastIndex[i]!]! + 1;
      const cands = largestIndices(lastDist.subarray(0, lastRows), lastRows);
      let ptr = 0;
      let repaired = 0;
      for (const j of dead) {
        while (ptr < cands.length && !(inBatch[lastIndex[cands[ptr]!]!]! > 1 && lastDist[cands[ptr]!]! > 0))
          ptr++;
        if (ptr >= cands.length) break;
        const i = cands[ptr++]!;
        inBatch[lastIndex[i]!] = inBatch[lastIndex[i]!]! - 1;
        let s = 0;
        for (let t = 0; t < d; t++) s += batch[i * d + t]! * batch[i * d + t]!;
        const u = opts.metric === 'cosine' && s > 0 ? 1 / Math.sqrt(s) : 1;
        for (let t = 0; t < d; t++) C[j * d + t] = batch[i * d + t]! * u;
        counts[j] = 0; // the next batch sets it outright
        repaired++;
      }
      if (repaired > 0) opts.onRepair?.(epoch, repaired);
    }
    opts.onIteration?.(epoch, epochInertia);
    epoch++;
    if (
      tol > 0 &&
      Number.isFinite(prev) &&
      Math.abs(prev - epochInertia) <= tol * Math.max(epochInertia, Number.MIN_VALUE)
    )
      break;
    prev = epochInertia;
  }

  assigner.setCentroids({ data: C, rows: k, cols: d });
  const assignment = new Int32Array(N);
  const distances = new Float32Array(N);
  const inertia = await assignPass(src, assigner, assignment, distances, undefined, opts.signal);
  opts.onIteration?.(epoch, inertia);
  return { centroids: { data: C, rows: k, cols: d }, assignment, distances, inertia, iterations: epoch };
}
