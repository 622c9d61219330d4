// Lloyd's k-means with Hamerly's bounds (Hamerly 2010), L2 only. Same iterates as plain
// Lloyd (kmeans-lloyd.ts) — the bounds only skip work that cannot change an assignment:
//
//   u(i) = |x_i − c_a(i)|, exact each pass (graphs/assign-bounds `rowdist`, O(N·d));
//   l(i) ≤ distance to the second-nearest centroid; after an update it drops by the
//          largest movement of any other centroid;
//   s(j) = ½ min_{j'≠j} |c_j − c_j'|.
//   If u(i) ≤ max(s(a(i)), l(i)), no centroid is nearer than c_a(i): row i is skipped.
//
// Only the rows that fail the test go through the O(K·d) Gemm (`assign2`, which also
// yields the new l). Once centroids settle most rows are skipped, so later passes cost
// a read of the data instead of a full N × K Gemm. Cluster sums are kept incrementally
// (a row that changes cluster moves its vector), so the O(N·d) TS pass goes away too.
// Floating point: every lower bound is reduced by a worst-case rounding margin of the
// Gemm-based distances, and u is inflated by the float32 summation bound, so a skip is
// never taken on rounding noise.
import { BlockDistances } from './graphs/sqdist';
import { BoundsGraphs } from './graphs/assign-bounds';
import { assignBytesPerRow } from './graphs/assign';
import { rowsPerChunk } from './chunking';
import { repairEmptyClusters, type LloydOptions } from './kmeans-lloyd';
import { ClusterSums } from './kmeans-update';
import type { RowSource } from './row-source';
import { throwIfAborted } from './tensors';
import type { KMeansResult, Matrix } from './types';

const U = 2 ** -24;

/** Half the distance from each centroid to its nearest other centroid (a lower bound). */
async function halfSeparation(
  c: Float32Array,
  k: number,
  d: number,
  opts: LloydOptions,
  maxSq: number,
): Promise<Float64Array> {
  const out = new Float64Array(k).fill(Infinity);
  const bd = new BlockDistances(c, k, d, opts.cache);
  const block = Math.max(1, Math.min(k, rowsPerChunk(4 * k + 4 * d, { preferred: 2048 })));
  const margin = 2 * (d + 4) * U * 2 * maxSq;
  for (let b = 0; b < k; b += block) {
    const t = Math.min(block, k - b);
    const dd = await bd.to(c.subarray(b * d, (b + t) * d), t); // k × t
    for (let j = 0; j < k; j++) {
      for (let q = 0; q < t; q++) {
        const other = b + q;
        if (other === j) continue;
        const v = dd[j * t + q]!;
        if (v < out[j]!) out[j] = v;
      }
    }
  }
  for (let j = 0; j < k; j++) out[j] = 0.5 * Math.sqrt(Math.max(0, out[j]! - margin));
  return out;
}

export async function lloydPruned(src: RowSource, init: Matrix, opts: LloydOptions): Promise<KMeansResult> {
  const N = src.rows;
  const d = src.cols;
  const k = init.rows;
  const C = Float32Array.from(init.data.subarray(0, k * d));
  const prevC = new Float32Array(k * d);
  const g = new BoundsGraphs(d, opts.cache);
  const sums = new ClusterSums(k, d);
  const assignment = new Int32Array(N);
  const distances = new Float32Array(N);
  const lower = new Float64Array(N);
  const step = rowsPerChunk(assignBytesPerRow(k, d), { total: N });
  const uInflate = 1 + (d + 4) * U;
  const tol = opts.tol ?? 0;

  const lowerFrom = (second: number, sqnorm: number): number => {
    const margin = (d + 4) * U * 2 * (sqnorm + g.maxCentroidSqNorm);
    return Math.sqrt(Math.max(0, second - margin));
  };

  // pass 0: every row through the Gemm
  g.setCentroids(C, k);
  let inertia = 0;
  for (let s = 0; s < N; s += step) {
    throwIfAborted(opts.signal);
    const n = Math.min(step, N - s);
    const x = await src.read(s, n);
    const r = await g.assign2(x, n);
    assignment.set(r.index, s);
    distances.set(r.dist, s);
    for (let i = 0; i < n; i++) {
      lower[s + i] = lowerFrom(r.second[i]!, r.sqnorm[i]!);
      inertia += r.dist[i]!;
    }
    sums.addRows(x, n, r.index);
  }
  opts.onIteration?.(0, inertia);
  opts.onPassStats?.(0, N);

  // rows that must be recomputed, gathered until a Gemm-sized batch is full
  const buf = new Float32Array(step * d);
  const bufIdx = new Int32Array(step);
  let bufN = 0;
  const flush = async (): Promise<void> => {
    if (bufN === 0) return;
    const r = await g.assign2(buf, bufN);
    for (let q = 0; q < bufN; q++) {
      const i = bufIdx[q]!;
      const a = r.index[q]!;
      const old = assignment[i]!;
      if (a !== old) {
        sums.move(buf.subarray(q * d, q * d + d), old, a);
        assignment[i] = a;
      }
      distances[i] = r.dist[q]!;
      lower[i] = lowerFrom(r.second[q]!, r.sqnorm[q]!);
    }
    bufN = 0;
  };

  let it = 0;
  let prev = Infinity;
  for (;;) {
    if (it >= opts.iterations) break;
    if (
      tol > 0 &&
      Number.isFinite(prev) &&
      Math.abs(prev - inertia) <= tol * Math.max(inertia, Number.MIN_VALUE)
    )
      break;
    const repaired = await repairEmptyClusters(src, sums, assignment, distances, 'l2');
    if (repaired > 0) {
      opts.onRepair?.(it, repaired);
      for (let i = 0; i < N; i++) if (distances[i] === 0) lower[i] = 0;
    }
    prevC.set(C);
    sums.centroidsInto(C, 'l2');
    // movement of each centroid; the largest two (a row's own centroid is excluded)
    let max1 = 0;
    let max2 = 0;
    let arg1 = -1;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = j * d, e = t + d; t < e; t++) {
        const v = C[t]! - prevC[t]!;
        s += v * v;
      }
      const m = Math.sqrt(s) * (1 + 4 * U) + 1e-30;
      if (m > max1) {
        max2 = max1;
        max1 = m;
        arg1 = j;
      } else if (m > max2) max2 = m;
    }
    g.setCentroids(C, k);
    const sep = await halfSeparation(C, k, d, opts, g.maxCentroidSqNorm);
    it++;
    prev = inertia;

    let recomputed = 0;
    for (let s = 0; s < N; s += step) {
      throwIfAborted(opts.signal);
      const n = Math.min(step, N - s);
      const x = await src.read(s, n);
      const dist = await g.rowDist(x, n, assignment.subarray(s, s + n));
      for (let q = 0; q < n; q++) {
        const i = s + q;
        const a = assignment[i]!;
        distances[i] = dist[q]!;
        const l = lower[i]! - (a === arg1 ? max2 : max1);
        lower[i] = l;
        const u = Math.sqrt(dist[q]!) * uInflate;
        if (u <= sep[a]! || u <= l) continue;
        buf.set(x.subarray(q * d, q * d + d), bufN * d);
        bufIdx[bufN++] = i;
        recomputed++;
        if (bufN === step) await flush();
      }
    }
    await flush();
    inertia = 0;
    for (let i = 0; i < N; i++) inertia += distances[i]!;
    opts.onIteration?.(it, inertia);
    opts.onPassStats?.(it, recomputed);
  }
  return { centroids: { data: C, rows: k, cols: d }, assignment, distances, inertia, iterations: it };
}
