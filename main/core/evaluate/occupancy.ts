// How evenly a selection spreads over the k-means clusters: entropy of the kept pairs'
// cluster distribution (bits), also normalised by log2 k (1 = perfectly even).

export interface Occupancy {
  counts: Int32Array;
  total: number;
  occupied: number;
  entropyBits: number;
  /** entropy / log2(k); NaN when k ≤ 1. */
  normalized: number;
}

export function clusterOccupancy(assignment: Int32Array, k: number, mask?: Uint8Array): Occupancy {
  if (mask && mask.length !== assignment.length)
    throw new RangeError('mask length differs from the assignment');
  const counts = new Int32Array(k);
  let total = 0;
  for (let i = 0; i < assignment.length; i++) {
    if (mask && !mask[i]) continue;
    const c = assignment[i] as number;
    if (c < 0) continue;
    if (c >= k) throw new RangeError(`assignment ${c} ≥ k = ${k}`);
    counts[c]! += 1;
    total++;
  }
  let h = 0;
  let occupied = 0;
  for (let c = 0; c < k; c++) {
    const v = counts[c] as number;
    if (v === 0) continue;
    occupied++;
    const p = v / total;
    h -= p * Math.log2(p);
  }
  return { counts, total, occupied, entropyBits: h, normalized: k > 1 ? h / Math.log2(k) : NaN };
}
