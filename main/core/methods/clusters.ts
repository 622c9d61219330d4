// Grouping pairs by cluster (CSR layout: members of cluster c are
// members[offsets[c] .. offsets[c+1]), in dataset order).
import type { Matrix, Metric } from '../compute/types';
import { rowDot, rowNorm, rowSqDist } from './vectors';

export interface ClusterMembers {
  k: number;
  offsets: Int32Array;
  members: Int32Array;
}

/**
 * Members of each cluster among eligible pairs, ascending index within a cluster.
 * assignment[i] < 0 means "not clustered" and the pair is left out.
 */
export function groupByCluster(assignment: Int32Array, eligible: Uint8Array, k?: number): ClusterMembers {
  let kk = k ?? 0;
  if (k === undefined)
    for (let i = 0; i < assignment.length; i++) kk = Math.max(kk, (assignment[i] as number) + 1);
  const counts = new Int32Array(kk + 1);
  for (let i = 0; i < assignment.length; i++) {
    const c = assignment[i] as number;
    if (!eligible[i] || c < 0) continue;
    if (c >= kk) throw new RangeError(`assignment ${c} ≥ k = ${kk}`);
    counts[c + 1]! += 1;
  }
  const offsets = new Int32Array(kk + 1);
  for (let c = 0; c < kk; c++) offsets[c + 1] = (offsets[c] as number) + (counts[c + 1] as number);
  const members = new Int32Array(offsets[kk] as number);
  const fill = offsets.slice(0, kk);
  for (let i = 0; i < assignment.length; i++) {
    const c = assignment[i] as number;
    if (!eligible[i] || c < 0) continue;
    members[fill[c]!++] = i;
  }
  return { k: kk, offsets, members };
}

export function clusterSizes(g: ClusterMembers): Int32Array {
  const s = new Int32Array(g.k);
  for (let c = 0; c < g.k; c++) s[c] = (g.offsets[c + 1] as number) - (g.offsets[c] as number);
  return s;
}

/**
 * Distance of row i to centroid c, in the units KMeansResult.distances uses:
 * squared L2 for 'l2', 1 − cosine for 'cosine'.
 */
export function distanceToCentroid(
  x: Matrix,
  i: number,
  centroids: Matrix,
  c: number,
  metric: Metric,
): number {
  if (metric === 'l2') return rowSqDist(x, i, centroids, c);
  const nx = rowNorm(x, i);
  const nc = rowNorm(centroids, c);
  return nx > 0 && nc > 0 ? 1 - rowDot(x, i, centroids, c) / (nx * nc) : 1;
}

/** Distances of every assigned row to its own centroid (NaN for unassigned rows). */
export function distancesToOwnCentroid(
  x: Matrix,
  assignment: Int32Array,
  centroids: Matrix,
  metric: Metric,
): Float32Array {
  const out = new Float32Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    const c = assignment[i] as number;
    out[i] = c < 0 ? NaN : distanceToCentroid(x, i, centroids, c, metric);
  }
  return out;
}
