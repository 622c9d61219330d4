// k-means++ seeding ("greedy" variant as in scikit-learn: each step draws 2 + ⌊ln K⌋
// candidates by D² sampling and keeps the one that lowers the potential most).
//
// Why a sample: k-means++ is K strictly sequential steps, each a pass over the data. On
// the full 200 000 × 256 matrix with K = 1000 that is 1000 memory-bound passes over
// 200 MB (≈ 8 Lloyd iterations with the greedy candidates). k-means|| cuts the passes to
// ~5 but each oversamples ℓ ≈ 2K candidates (≈ 10 Lloyd iterations of Gemm) and then
// needs every row weighted against ~10K candidates. k-means++ on a uniform sample of
// m = 32·K rows costs 2–3 Lloyd iterations and, measured on blob mixtures
// (100 000 × 256, K = 500, 20 iterations), ends within 1 % of the inertia that seeding on
// all rows reaches (8·K: 5 % worse, 16·K: 3 %). With N ≤ m this is exact k-means++.
import { memoryBudgetBytes } from './chunking';
import { AugmentedRows } from './graphs/sqdist';
import { createRng, sampleIndices } from './prng';
import type { RowSource } from './row-source';
import type { SessionCache } from './sessions';
import { throwIfAborted } from './tensors';
import type { Matrix, Metric } from './types';

export interface SeedOptions {
  seed: number;
  metric: Metric;
  /** Rows k-means++ runs on (default max(32·K, 4096) within the memory budget; all rows when N is smaller). */
  sampleSize?: number;
  /** Candidates per step (default 2 + ⌊ln K⌋; 1 = classic k-means++). */
  trials?: number;
  signal?: AbortSignal;
  cache?: SessionCache;
  /** Intra-op threads of the seeding step session (default: one per core). */
  threads?: number;
}

export function defaultSeedSample(k: number, d: number): number {
  // the sample plus the n × trials distance block stay within the chunk budget
  const byMemory = Math.floor(memoryBudgetBytes() / (4 * d + 64));
  return Math.max(k, Math.min(Math.max(32 * k, 4096), byMemory));
}

/** Copies the given rows of `src` (ascending indices) into one matrix. */
export async function gatherRows(
  src: RowSource,
  indices: Int32Array,
  signal?: AbortSignal,
): Promise<Float32Array> {
  const d = src.cols;
  const out = new Float32Array(indices.length * d);
  let i = 0;
  while (i < indices.length) {
    throwIfAborted(signal);
    // read runs of consecutive indices at once
    let j = i + 1;
    while (j < indices.length && indices[j] === indices[j - 1]! + 1 && j - i < 4096) j++;
    const rows = await src.read(indices[i]!, j - i);
    out.set(rows.subarray(0, (j - i) * d), i * d);
    i = j;
  }
  return out;
}

export function normalizeInPlace(x: Float32Array, rows: number, d: number): void {
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let t = i * d, e = t + d; t < e; t++) s += x[t]! * x[t]!;
    if (s === 0) continue;
    const inv = 1 / Math.sqrt(s);
    for (let t = i * d, e = t + d; t < e; t++) x[t] = x[t]! * inv;
  }
}

/** K initial centroids (unit rows for cosine), reproducible from `seed`. */
export async function seedCentroids(src: RowSource, k: number, opts: SeedOptions): Promise<Matrix> {
  const N = src.rows;
  const d = src.cols;
  if (k < 1 || k > N) throw new Error(`k-means with K = ${k} on ${N} rows`);
  const rng = createRng(opts.seed);
  const m = Math.min(N, Math.max(k, opts.sampleSize ?? defaultSeedSample(k, d)));
  const idx = sampleIndices(N, m, rng);
  const x = await gatherRows(src, idx, opts.signal);
  if (opts.metric === 'cosine') normalizeInPlace(x, m, d);

  const trials = Math.max(1, opts.trials ?? 2 + Math.floor(Math.log(k)));
  // Each step is one short run, K of them back to back. Below ~16 M multiply-adds a
  // step is dominated by thread hand-offs, not arithmetic: one thread was 1.5–2× faster
  // there on 2 shared cores (20 000 × 256, K = 100); larger steps use every core.
  const threads = opts.threads ?? (m * (d + 2) * trials < 16e6 ? 1 : undefined);
  const sample = new AugmentedRows(x, m, d, opts.cache, threads);
  const centroids = new Float32Array(k * d);
  const cand = new Float32Array(trials * d);
  const cum = new Float64Array(m);

  const first = rng.int(m);
  centroids.set(sample.row(first), 0);
  const closest = new Float32Array(m).fill(Infinity);
  const d0 = (await sample.minTo(centroids, 1, closest)).mind2;
  for (let i = 0; i < m; i++) closest[i] = Math.max(0, d0[i]!);

  const candIdx = new Int32Array(trials);
  for (let c = 1; c < k; c++) {
    throwIfAborted(opts.signal);
    let acc = 0;
    for (let i = 0; i < m; i++) cum[i] = acc += closest[i]!;
    for (let t = 0; t < trials; t++) {
      // D² sampling; a zero potential (all rows on centroids) falls back to uniform
      candIdx[t] = acc > 0 ? searchSorted(cum, rng.next() * acc) : rng.int(m);
      cand.set(sample.row(candIdx[t]!), t * d);
    }
    const { mind2, pot } = await sample.minTo(cand, trials, closest);
    let best = 0;
    for (let t = 1; t < trials; t++) if (pot[t]! < pot[best]!) best = t;
    for (let i = 0; i < m; i++) closest[i] = Math.max(0, mind2[i * trials + best]!);
    centroids.set(cand.subarray(best * d, best * d + d), c * d);
  }
  return { data: centroids, rows: k, cols: d };
}

/** First i with cum[i] > v (cum ascending); clamped to the last index. */
function searchSorted(cum: Float64Array, v: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid]! > v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
