// The O(N·d) half of k-means, in TS: per-cluster sums and counts (float64, so 10⁶ rows
// add up without drift), new centroids, and re-seeding of clusters left empty.
import type { Metric } from './types';

export class ClusterSums {
  readonly sums: Float64Array;
  readonly counts: Float64Array;

  constructor(
    readonly k: number,
    readonly d: number,
  ) {
    this.sums = new Float64Array(k * d);
    this.counts = new Float64Array(k);
  }

  reset(): void {
    this.sums.fill(0);
    this.counts.fill(0);
  }

  /**
   * Adds `n` rows of `x` to their clusters. `scale` (cosine: 1/|x|) multiplies each row,
   * so spherical k-means sums unit vectors without a normalised copy of the data.
   */
  addRows(x: Float32Array, n: number, index: Int32Array, scale?: Float32Array): void {
    const d = this.d;
    const sums = this.sums;
    for (let i = 0; i < n; i++) {
      const j = index[i]!;
      const w = scale ? scale[i]! : 1;
      this.counts[j] = this.counts[j]! + 1;
      const o = j * d;
      const xo = i * d;
      if (w === 1) for (let t = 0; t < d; t++) sums[o + t] = sums[o + t]! + x[xo + t]!;
      else for (let t = 0; t < d; t++) sums[o + t] = sums[o + t]! + x[xo + t]! * w;
    }
  }

  /** Moves one row (already scaled) from cluster `from` to cluster `to`. */
  move(row: Float32Array, from: number, to: number): void {
    const d = this.d;
    for (let t = 0; t < d; t++) {
      this.sums[from * d + t] = this.sums[from * d + t]! - row[t]!;
      this.sums[to * d + t] = this.sums[to * d + t]! + row[t]!;
    }
    this.counts[from] = this.counts[from]! - 1;
    this.counts[to] = this.counts[to]! + 1;
  }

  emptyClusters(): number[] {
    const out: number[] = [];
    for (let j = 0; j < this.k; j++) if (this.counts[j] === 0) out.push(j);
    return out;
  }

  /**
   * Means (l2) or normalised sums (cosine) into `out`; a cluster without members keeps
   * its previous centroid from `out`.
   */
  centroidsInto(out: Float32Array, metric: Metric): void {
    const d = this.d;
    for (let j = 0; j < this.k; j++) {
      const c = this.counts[j]!;
      if (c === 0) continue;
      const o = j * d;
      let inv = 1 / c;
      if (metric === 'cosine') {
        let s = 0;
        for (let t = 0; t < d; t++) s += this.sums[o + t]! * this.sums[o + t]!;
        if (s === 0) continue; // members cancel out: keep the old direction
        inv = 1 / Math.sqrt(s);
      }
      for (let t = 0; t < d; t++) out[o + t] = this.sums[o + t]! * inv;
    }
  }
}

/** Indices of the `count` largest values, largest first (a min-heap; O(N log count)). */
export function largestIndices(values: ArrayLike<number>, count: number): Int32Array {
  const n = values.length;
  const m = Math.min(count, n);
  const heap = new Int32Array(m);
  let size = 0;
  const less = (a: number, b: number): boolean =>
    values[a]! < values[b]! || (values[a] === values[b] && a > b);
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let s = i;
      if (l < size && less(heap[l]!, heap[s]!)) s = l;
      if (r < size && less(heap[r]!, heap[s]!)) s = r;
      if (s === i) return;
      const t = heap[i]!;
      heap[i] = heap[s]!;
      heap[s] = t;
      i = s;
    }
  };
  for (let i = 0; i < n; i++) {
    if (size < m) {
      heap[size] = i;
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!less(heap[c]!, heap[p]!)) break;
        const t = heap[c]!;
        heap[c] = heap[p]!;
        heap[p] = t;
        c = p;
      }
    } else if (m > 0 && less(heap[0]!, i)) {
      heap[0] = i;
      down(0);
    }
  }
  return Int32Array.from(heap.subarray(0, size)).sort((a, b) => values[b]! - values[a]! || a - b);
}
