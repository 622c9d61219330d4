// SemDeDup (Abbas et al., 2023): semantic near-duplicate removal inside k-means clusters.
// In each cluster, members are visited farthest-from-centroid first; a member is dropped when
// its max cosine to an earlier KEPT member exceeds 1 − ε. Clusters of size 1 are kept.
// Several ε are decided in one pass over the similarities.
import type { Matrix } from '../compute/types';
import { groupByCluster } from './clusters';
import { ReasonWriter, checkLength, countMask, eligibleMask, makeSelection } from './selection';
import type { BaseOptions, Selection } from './types';
import { blockRows, rowNorm, rowDot } from './vectors';

export interface SemDeDupOptions extends BaseOptions {
  /** One row per pair; rows should be unit-norm (norms are divided out anyway). */
  embeddings: Matrix;
  /** Spherical k-means assignment (−1 = not clustered: kept, reported). */
  assignment: Int32Array;
  centroids: Matrix;
  /** ε values to evaluate; duplicates are cosine > 1 − ε. */
  epsilons: number[];
  /** The ε whose result becomes `kept` (default: the first). */
  primary?: number;
  /** Distance to the centroid per pair (KMeansResult.distances, 1 − cos); computed when omitted. */
  distances?: ArrayLike<number>;
  /** Upper bound on the similarity block, in floats (default 4M = 16 MB). */
  maxBlockFloats?: number;
}

export interface EpsilonResult {
  epsilon: number;
  /** Cosine above which a pair is a duplicate: 1 − ε. */
  threshold: number;
  kept: number;
  mask: Uint8Array;
}

export interface SemDeDupResult extends Selection {
  perEpsilon: EpsilonResult[];
  /** Per pair: max cosine to an earlier kept member of its cluster at the primary ε (NaN: none). */
  maxSimilarity: Float32Array;
}

export function semDeDup(opts: SemDeDupOptions): SemDeDupResult {
  const x = opts.embeddings;
  const n = x.rows;
  checkLength('assignment', opts.assignment, n);
  if (opts.centroids.cols !== x.cols) throw new RangeError('centroids and embeddings differ in width');
  if (opts.distances) checkLength('distances', opts.distances, n);
  const eps = opts.epsilons;
  if (eps.length === 0) throw new RangeError('semDeDup needs at least one ε');
  for (const e of eps) if (!(e >= 0 && e < 2)) throw new RangeError(`ε must be in [0, 2), got ${e}`);
  const primary = opts.primary ?? eps[0]!;
  const pi = eps.indexOf(primary);
  if (pi < 0) throw new RangeError(`primary ε ${primary} is not among the epsilons`);
  const thresholds = eps.map((e) => 1 - e);
  const E = eps.length;

  const eligible = eligibleMask(n, opts.eligible);
  const groups = groupByCluster(opts.assignment, eligible, opts.centroids.rows);
  const invNorm = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (!eligible[i]) continue;
    const v = rowNorm(x, i);
    invNorm[i] = v > 0 ? 1 / v : 0;
  }
  const dist = (i: number): number => {
    if (opts.distances) return opts.distances[i] as number;
    const c = opts.assignment[i] as number;
    const nc = rowNorm(opts.centroids, c);
    return nc > 0 ? 1 - (rowDot(x, i, opts.centroids, c) * (invNorm[i] as number)) / nc : 1;
  };

  const masks = eps.map(() => new Uint8Array(n));
  const maxSim = new Float32Array(n).fill(NaN);
  const r = new ReasonWriter(n);
  const L = {
    kept: r.id('semdedup', 'kept'),
    singleton: r.id('semdedup', 'singleton-cluster'),
    unclustered: r.id('semdedup', 'unclustered-kept'),
    dup: r.id('semdedup', 'near-duplicate'),
  };
  let unclustered = 0;
  for (let i = 0; i < n; i++) {
    if (eligible[i] && (opts.assignment[i] as number) < 0) {
      unclustered++;
      for (const m of masks) m[i] = 1;
      r.set(i, L.unclustered);
    }
  }

  const maxFloats = opts.maxBlockFloats ?? 1 << 22;
  const d = x.cols;
  const data = x.data;
  let buf = new Float32Array(0);
  for (let c = 0; c < groups.k; c++) {
    const start = groups.offsets[c] as number;
    const size = (groups.offsets[c + 1] as number) - start;
    if (size === 0) continue;
    if (size === 1) {
      const i = groups.members[start] as number;
      for (const m of masks) m[i] = 1;
      r.set(i, L.singleton);
      continue;
    }
    const dd = new Float64Array(size);
    const order = Int32Array.from(groups.members.subarray(start, start + size));
    for (let k = 0; k < size; k++) dd[k] = dist(order[k] as number);
    const perm = Array.from({ length: size }, (_, k) => k).sort(
      (a, b) => (dd[b] as number) - (dd[a] as number) || (order[a] as number) - (order[b] as number),
    );
    const members = Int32Array.from(perm, (k) => order[k] as number);
    // Positions (in `members`) kept so far, per ε.
    const keptPos = eps.map(() => new Int32Array(size));
    const keptLen = new Int32Array(E);
    // Rows of the block × (everything up to the block's end) similarity matrix; bounded memory.
    const block = Math.max(1, Math.min(size, blockRows(size, maxFloats)));
    for (let b0 = 0; b0 < size; b0 += block) {
      const b1 = Math.min(size, b0 + block);
      const width = b1;
      if (buf.length < (b1 - b0) * width) buf = new Float32Array((b1 - b0) * width);
      for (let p = b0; p < b1; p++) {
        const ip = members[p] as number;
        const op = ip * d;
        const row = (p - b0) * width;
        for (let q = 0; q < p; q++) {
          const iq = members[q] as number;
          const oq = iq * d;
          let s = 0;
          for (let k = 0; k < d; k++) s += (data[op + k] as number) * (data[oq + k] as number);
          buf[row + q] = s * (invNorm[ip] as number) * (invNorm[iq] as number);
        }
      }
      for (let p = b0; p < b1; p++) {
        const i = members[p] as number;
        const row = (p - b0) * width;
        for (let e = 0; e < E; e++) {
          const kp = keptPos[e] as Int32Array;
          const len = keptLen[e] as number;
          let m = -Infinity;
          for (let t = 0; t < len; t++) {
            const s = buf[row + (kp[t] as number)] as number;
            if (s > m) m = s;
          }
          const keep = m <= (thresholds[e] as number);
          if (keep) {
            (masks[e] as Uint8Array)[i] = 1;
            kp[len] = p;
            keptLen[e] = len + 1;
          }
          if (e === pi) {
            if (len > 0) maxSim[i] = m;
            r.set(i, keep ? L.kept : L.dup, len > 0 ? m : undefined);
          }
        }
      }
    }
  }

  const perEpsilon: EpsilonResult[] = eps.map((e, k) => ({
    epsilon: e,
    threshold: thresholds[k] as number,
    kept: countMask(masks[k] as Uint8Array),
    mask: masks[k] as Uint8Array,
  }));
  const eligibleCount = countMask(eligible);
  const kept = masks[pi] as Uint8Array;
  const notes: string[] = [];
  if (unclustered > 0)
    notes.push(`${unclustered} eligible pairs have no cluster; they are kept (never compared).`);
  const sel = makeSelection({
    method: 'semdedup',
    kept,
    reasons: r,
    stats: [
      { step: 'eligible', label: 'eligible pairs', count: eligibleCount },
      {
        step: 'semdedup',
        label: `drop cosine > ${+(1 - primary).toFixed(6)} to an earlier kept member (ε = ${primary})`,
        count: countMask(kept),
      },
    ],
    derived: [
      { key: 'epsilon', label: 'ε (primary)', value: primary },
      ...perEpsilon.map((p) => ({
        key: `kept@${p.epsilon}`,
        label: `Kept at ε = ${p.epsilon}`,
        value: p.kept,
      })),
    ],
    notes,
  });
  return { ...sel, perEpsilon, maxSimilarity: maxSim };
}
