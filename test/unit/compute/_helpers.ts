// Data generators and plain-loop references for the compute tests.
import { createRng, type Rng } from '../../../main/core/compute/prng';
import type { Matrix } from '../../../main/core/compute/types';

export function gauss(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

export function randomMatrix(rows: number, cols: number, seed: number, scale = 1): Matrix {
  const rng = createRng(seed);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = gauss(rng) * scale;
  return { data, rows, cols };
}

/** `k` well separated Gaussian blobs; label[i] = blob of row i. */
export function blobs(
  n: number,
  d: number,
  k: number,
  seed: number,
  spread = 0.3,
  sep = 10,
): { x: Matrix; label: Int32Array } {
  const rng = createRng(seed);
  const centers = new Float32Array(k * d);
  for (let i = 0; i < centers.length; i++) centers[i] = gauss(rng) * sep;
  const data = new Float32Array(n * d);
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    label[i] = c;
    for (let j = 0; j < d; j++) data[i * d + j] = centers[c * d + j]! + gauss(rng) * spread;
  }
  return { x: { data, rows: n, cols: d }, label };
}

/** True when `a` and `b` define the same partition (up to renaming clusters). */
export function samePartition(a: Int32Array, b: Int32Array): boolean {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if ((ab.has(x) && ab.get(x) !== y) || (ba.has(y) && ba.get(y) !== x)) return false;
    ab.set(x, y);
    ba.set(y, x);
  }
  return true;
}

export function sqDist(a: Float32Array, ao: number, b: Float32Array, bo: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const v = a[ao + t]! - b[bo + t]!;
    s += v * v;
  }
  return s;
}

/** Straightforward Lloyd in float64: `iterations` updates, then the final assignment. */
export function plainLloyd(
  x: Matrix,
  init: Matrix,
  iterations: number,
): { inertia: number; assignment: Int32Array; centroids: Float64Array } {
  const { rows: n, cols: d } = x;
  const k = init.rows;
  const c = Float64Array.from(init.data);
  const assignment = new Int32Array(n);
  const assign = (): number => {
    let inertia = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bd = Infinity;
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) {
          const v = x.data[i * d + t]! - c[j * d + t]!;
          s += v * v;
        }
        if (s < bd) {
          bd = s;
          best = j;
        }
      }
      assignment[i] = best;
      inertia += bd;
    }
    return inertia;
  };
  for (let it = 0; it < iterations; it++) {
    assign();
    const sums = new Float64Array(k * d);
    const counts = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const j = assignment[i]!;
      counts[j]!++;
      for (let t = 0; t < d; t++) sums[j * d + t] = sums[j * d + t]! + x.data[i * d + t]!;
    }
    for (let j = 0; j < k; j++) {
      if (counts[j] === 0) throw new Error('reference Lloyd hit an empty cluster');
      for (let t = 0; t < d; t++) c[j * d + t] = sums[j * d + t]! / counts[j]!;
    }
  }
  return { inertia: assign(), assignment, centroids: c };
}
