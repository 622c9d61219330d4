// Density-based pruning (Abbas et al., 2024, "Effective pruning of web-scale datasets based on
// complexity of concept clusters"). Formula implemented, over the non-empty clusters c:
//
//   d_intra(c) = mean_{i ∈ c} dist(x_i, μ_c)                 (Euclidean for 'l2', 1 − cos for 'cosine')
//   d_inter(c) = mean over the k nearest other centroids c' of dist(μ_c, μ_c')
//   C_c        = d_inter(c) · d_intra(c)                      (sparse, spread-out clusters are "complex")
//   p_c        = softmax_c(C_c / τ)                           (τ = 0.5, the authors' script default)
//   x          = argmin ½‖x − B·p‖²  s.t.  Σ x_c = B,  lb_c ≤ x_c ≤ n_c
//                with lb_c = min(m, n_c − 1), m = 1           (the authors' QP, cls_bal_ratio = 0)
//              → x_c = clip(B·p_c + ν, lb_c, n_c), ν found by bisection (the QP's exact solution:
//                the cap at n_c redistributes the excess evenly over uncapped clusters)
//   quota_c    = x_c rounded by largest remainder so that Σ quota_c = B exactly
//                (the authors' np.rint can miss B by a few pairs)
//
// Inside each cluster the quota_c hardest members (farthest from the centroid) are kept.
import type { Matrix, Metric } from '../compute/types';
import { clusterSizes, groupByCluster } from './clusters';
import {
  ReasonWriter,
  checkLength,
  countMask,
  describeBudget,
  eligibleMask,
  makeSelection,
  resolveBudget,
} from './selection';
import type { BaseOptions, Budget, Selection } from './types';
import { rowDot, rowNorm, rowSqDist } from './vectors';

export interface DensityPruningOptions extends BaseOptions {
  assignment: Int32Array;
  centroids: Matrix;
  /** Member → own-centroid distance, in KMeansResult units (squared L2 for 'l2', 1 − cos for 'cosine'). */
  distances: ArrayLike<number>;
  metric: Metric;
  budget: Budget;
  /** Nearest centroids averaged for d_inter (default 20, fewer when there are fewer clusters). */
  neighbours?: number;
  temperature?: number;
  /** Lower bound per cluster (authors: 1); clusters of one member may get 0. */
  minPerCluster?: number;
  keep?: 'hard' | 'easy';
  /** Precomputed d_inter per cluster (e.g. from the ONNX top-k over 10k centroids). */
  interDistances?: ArrayLike<number>;
}

export interface DensityPruningResult extends Selection {
  quotas: Int32Array;
  /** Per cluster: d_intra, d_inter, softmax weight (0 for empty clusters). */
  dIntra: Float64Array;
  dInter: Float64Array;
  weights: Float64Array;
}

function centroidDistance(c: Matrix, a: number, b: number, metric: Metric): number {
  if (metric === 'l2') return Math.sqrt(rowSqDist(c, a, c, b));
  const na = rowNorm(c, a);
  const nb = rowNorm(c, b);
  return na > 0 && nb > 0 ? 1 - rowDot(c, a, c, b) / (na * nb) : 1;
}

/** d_inter for every cluster: mean distance to its k nearest other (non-empty) centroids. */
export function interClusterDistances(
  centroids: Matrix,
  active: Uint8Array,
  k: number,
  metric: Metric,
): Float64Array {
  const K = centroids.rows;
  const out = new Float64Array(K);
  const row = new Float64Array(K);
  for (let a = 0; a < K; a++) {
    if (!active[a]) continue;
    let m = 0;
    for (let b = 0; b < K; b++)
      if (b !== a && active[b]) row[m++] = centroidDistance(centroids, a, b, metric);
    const kk = Math.min(k, m);
    if (kk === 0) continue;
    const sorted = row.subarray(0, m).sort();
    let s = 0;
    for (let t = 0; t < kk; t++) s += sorted[t] as number;
    out[a] = s / kk;
  }
  return out;
}

/**
 * Integer quotas: x = clip(B·p + ν, lb, ub) with Σx = B (bisection on ν), then largest
 * remainder. Exported for the quota chart and tests.
 */
export function allocateQuotas(
  weights: ArrayLike<number>,
  lb: ArrayLike<number>,
  ub: ArrayLike<number>,
  budget: number,
): Int32Array {
  const K = weights.length;
  let sumUb = 0;
  let sumLb = 0;
  for (let c = 0; c < K; c++) {
    sumUb += ub[c] as number;
    sumLb += lb[c] as number;
  }
  if (budget > sumUb) throw new RangeError(`budget ${budget} exceeds the ${sumUb} pairs available`);
  const lower = sumLb > budget ? new Float64Array(K) : Float64Array.from(lb);
  const x = new Float64Array(K);
  const fill = (nu: number): number => {
    let s = 0;
    for (let c = 0; c < K; c++) {
      const v = Math.min(ub[c] as number, Math.max(lower[c] as number, budget * (weights[c] as number) + nu));
      x[c] = v;
      s += v;
    }
    return s;
  };
  let lo = -budget - 1;
  let hi = budget + 1;
  for (let c = 0; c < K; c++) hi = Math.max(hi, ub[c] as number);
  for (let it = 0; it < 200 && hi - lo > 1e-9; it++) {
    const mid = (lo + hi) / 2;
    if (fill(mid) < budget) lo = mid;
    else hi = mid;
  }
  fill(hi);
  const q = new Int32Array(K);
  let total = 0;
  for (let c = 0; c < K; c++) {
    q[c] = Math.min(ub[c] as number, Math.floor((x[c] as number) + 1e-9));
    total += q[c] as number;
  }
  // Largest remainder first, then any cluster with room (guards against rounding drift).
  const order = Array.from({ length: K }, (_, c) => c).sort(
    (a, b) =>
      (x[b] as number) - Math.floor(x[b] as number) - ((x[a] as number) - Math.floor(x[a] as number)) ||
      a - b,
  );
  while (total < budget) {
    let progressed = false;
    for (const c of order) {
      if (total >= budget) break;
      if ((q[c] as number) < (ub[c] as number)) {
        q[c]! += 1;
        total++;
        progressed = true;
      }
    }
    if (!progressed) break;
  }
  while (total > budget) {
    let progressed = false;
    for (let t = order.length - 1; t >= 0 && total > budget; t--) {
      const c = order[t] as number;
      if ((q[c] as number) > (lower[c] as number)) {
        q[c]! -= 1;
        total--;
        progressed = true;
      }
    }
    if (!progressed) break;
  }
  return q;
}

export function densityPruning(opts: DensityPruningOptions): DensityPruningResult {
  const n = opts.assignment.length;
  checkLength('distances', opts.distances, n);
  const eligible = eligibleMask(n, opts.eligible);
  const K = opts.centroids.rows;
  const groups = groupByCluster(opts.assignment, eligible, K);
  const sizes = clusterSizes(groups);
  const clustered = groups.members.length;
  const target = resolveBudget(opts.budget, clustered);
  const tau = opts.temperature ?? 0.5;
  if (!(tau > 0)) throw new RangeError(`temperature must be > 0, got ${tau}`);
  const toDist = (v: number): number => (opts.metric === 'l2' ? Math.sqrt(Math.max(0, v)) : v);

  const active = new Uint8Array(K);
  const dIntra = new Float64Array(K);
  for (let c = 0; c < K; c++) {
    const start = groups.offsets[c] as number;
    const end = groups.offsets[c + 1] as number;
    if (end === start) continue;
    active[c] = 1;
    let s = 0;
    for (let t = start; t < end; t++) s += toDist(opts.distances[groups.members[t] as number] as number);
    dIntra[c] = s / (end - start);
  }
  let dInter: Float64Array;
  if (opts.interDistances) {
    checkLength('interDistances', opts.interDistances, K);
    dInter = Float64Array.from(opts.interDistances);
  } else {
    dInter = interClusterDistances(opts.centroids, active, opts.neighbours ?? 20, opts.metric);
  }

  const weights = new Float64Array(K);
  let maxLogit = -Infinity;
  for (let c = 0; c < K; c++)
    if (active[c]) maxLogit = Math.max(maxLogit, ((dInter[c] as number) * (dIntra[c] as number)) / tau);
  let z = 0;
  for (let c = 0; c < K; c++) {
    if (!active[c]) continue;
    const w = Math.exp(((dInter[c] as number) * (dIntra[c] as number)) / tau - maxLogit);
    weights[c] = w;
    z += w;
  }
  for (let c = 0; c < K; c++) weights[c] = z > 0 ? (weights[c] as number) / z : 0;

  const minPer = opts.minPerCluster ?? 1;
  const lb = new Float64Array(K);
  for (let c = 0; c < K; c++) lb[c] = active[c] ? Math.min(minPer, (sizes[c] as number) - 1) : 0;
  const quotas = allocateQuotas(weights, lb, sizes, target);

  const keepHard = (opts.keep ?? 'hard') === 'hard';
  const kept = new Uint8Array(n);
  const r = new ReasonWriter(n);
  const L = {
    kept: r.id('density', keepHard ? 'kept-hard' : 'kept-easy'),
    drop: r.id('density', keepHard ? 'too-easy' : 'too-hard'),
    unclustered: r.id('density', 'unclustered'),
  };
  for (let i = 0; i < n; i++) if (eligible[i] && (opts.assignment[i] as number) < 0) r.set(i, L.unclustered);
  for (let c = 0; c < K; c++) {
    const start = groups.offsets[c] as number;
    const end = groups.offsets[c + 1] as number;
    if (end === start) continue;
    const members = Int32Array.from(groups.members.subarray(start, end));
    const dist = opts.distances;
    members.sort((a, b) => {
      const da = dist[a] as number;
      const db = dist[b] as number;
      return (keepHard ? db - da : da - db) || a - b;
    });
    const q = quotas[c] as number;
    for (let t = 0; t < members.length; t++) {
      const i = members[t] as number;
      if (t < q) kept[i] = 1;
      r.set(i, t < q ? L.kept : L.drop, dist[i] as number);
    }
  }

  let nonEmpty = 0;
  for (let c = 0; c < K; c++) if (active[c]) nonEmpty++;
  const sel = makeSelection({
    method: 'density-pruning',
    kept,
    reasons: r,
    stats: [
      { step: 'eligible', label: 'eligible pairs', count: countMask(eligible) },
      { step: 'cluster', label: `clustered into ${nonEmpty} clusters`, count: clustered },
      {
        step: 'density',
        label: `per-cluster quotas (softmax of d_inter·d_intra / ${tau}), ${keepHard ? 'hardest' : 'easiest'} kept`,
        count: 0,
      },
    ],
    derived: [
      { key: 'temperature', label: 'Softmax temperature τ', value: tau },
      {
        key: 'neighbours',
        label: 'Centroids averaged for d_inter',
        value: opts.interDistances ? 'given' : Math.min(opts.neighbours ?? 20, Math.max(0, nonEmpty - 1)),
      },
      { key: 'budget', label: 'Budget', value: `${describeBudget(opts.budget)} = ${target} pairs` },
    ],
    budget: { requested: target, exact: true },
    notes:
      clustered < countMask(eligible)
        ? [`${countMask(eligible) - clustered} eligible pairs have no cluster and were dropped.`]
        : [],
  });
  sel.stats[2]!.count = sel.keptCount;
  return { ...sel, quotas, dIntra, dInter, weights };
}
