// Plain-TS k-means for tests only (the app uses the compute layer's ONNX k-means).
import type { KMeansResult, Matrix, Metric } from '../../../../main/core/compute/types';
import { mulberry32 } from '../../../../main/core/methods/rng';

function sqDist(a: Float32Array, oa: number, b: Float32Array, ob: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) {
    const t = (a[oa + k] as number) - (b[ob + k] as number);
    s += t * t;
  }
  return s;
}

function normaliseRow(c: Float32Array, o: number, d: number): void {
  let s = 0;
  for (let k = 0; k < d; k++) s += (c[o + k] as number) ** 2;
  if (s > 0) for (let k = 0; k < d; k++) c[o + k] = (c[o + k] as number) / Math.sqrt(s);
}

type Opts = { seed?: number; iterations?: number; metric?: Metric; restarts?: number };

/** Lloyd's k-means with k-means++ seeding, best of `restarts`. 'cosine' = spherical (rows assumed unit-norm). */
export function testKMeans(x: Matrix, k: number, opts: Opts = {}): KMeansResult {
  let best: KMeansResult | undefined;
  for (let r = 0; r < (opts.restarts ?? 1); r++) {
    const res = lloyd(x, k, { ...opts, seed: (opts.seed ?? 1) + 1000 * r });
    if (!best || res.inertia < best.inertia) best = res;
  }
  return best as KMeansResult;
}

function lloyd(x: Matrix, k: number, opts: Opts): KMeansResult {
  const { rows: n, cols: d, data } = x;
  const metric = opts.metric ?? 'l2';
  const rand = mulberry32(opts.seed ?? 1);
  const cent = new Float32Array(k * d);
  // k-means++
  const first = Math.floor(rand() * n);
  cent.set(data.subarray(first * d, first * d + d), 0);
  const best = new Float64Array(n).fill(Infinity);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      best[i] = Math.min(best[i] as number, sqDist(data, i * d, cent, (c - 1) * d, d));
      total += best[i] as number;
    }
    let r = rand() * total;
    let pick = n - 1;
    for (let i = 0; i < n; i++) {
      r -= best[i] as number;
      if (r <= 0) {
        pick = i;
        break;
      }
    }
    cent.set(data.subarray(pick * d, pick * d + d), c * d);
  }
  const assignment = new Int32Array(n);
  const distances = new Float32Array(n);
  let inertia = 0;
  let it = 0;
  for (; it < (opts.iterations ?? 25); it++) {
    inertia = 0;
    let changed = 0;
    for (let i = 0; i < n; i++) {
      let bc = 0;
      let bd = Infinity;
      for (let c = 0; c < k; c++) {
        const dd = sqDist(data, i * d, cent, c * d, d);
        if (dd < bd) {
          bd = dd;
          bc = c;
        }
      }
      if (assignment[i] !== bc) changed++;
      assignment[i] = bc;
      inertia += bd;
    }
    const sums = new Float64Array(k * d);
    const counts = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      const c = assignment[i] as number;
      counts[c]! += 1;
      for (let t = 0; t < d; t++) sums[c * d + t]! += data[i * d + t] as number;
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) continue;
      for (let t = 0; t < d; t++) cent[c * d + t] = (sums[c * d + t] as number) / (counts[c] as number);
      if (metric === 'cosine') normaliseRow(cent, c * d, d);
    }
    if (it > 0 && changed === 0) break;
  }
  for (let i = 0; i < n; i++) {
    const c = assignment[i] as number;
    if (metric === 'l2') distances[i] = sqDist(data, i * d, cent, c * d, d);
    else {
      let s = 0;
      for (let t = 0; t < d; t++) s += (data[i * d + t] as number) * (cent[c * d + t] as number);
      distances[i] = 1 - s;
    }
  }
  return { centroids: { data: cent, rows: k, cols: d }, assignment, distances, inertia, iterations: it };
}
