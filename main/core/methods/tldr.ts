// TL;DR codebook selection (Wang et al., ICCV 2023), given the cluster assignment:
// stratified systematic sampling inside each cluster (positions 0, N, 2N… in dataset order,
// ⌈n_c/N⌉ per cluster), intersected with the top fraction of pairs by alignment (ITM) score.
// Faithful: N = 2, top 50 %. Better mode: pick the ⌈n_c/N⌉ members nearest the centroid.
import { planTldr } from './tldr-plan';
import { clusterSizes, groupByCluster } from './clusters';
import {
  ReasonWriter,
  countMask,
  countNaN,
  describeBudget,
  eligibleMask,
  makeSelection,
  rankByScore,
  resolveBudget,
  checkLength,
} from './selection';
import type { BaseOptions, Budget, DerivedParam, Selection, StepCount } from './types';

export type TldrPick = 'stride' | 'centroid-nearest';

export interface TldrOptions extends BaseOptions {
  /** Cluster of each pair (length n); −1 = not clustered (dropped, reported). */
  assignment: Int32Array;
  /** Alignment (ITM) score per pair; without it there is no intersection step. */
  alignment?: ArrayLike<number>;
  /** Budget to derive N and the alignment fraction from. */
  budget?: Budget;
  /** N: keep every N-th member. Given → not derived. */
  stride?: number;
  /** Fraction of eligible pairs kept by alignment (top). Given → not derived. */
  alignmentFraction?: number;
  /** 'stride' = faithful; 'centroid-nearest' needs `distances`. */
  pick?: TldrPick;
  /** Distance of each pair to its centroid (KMeansResult.distances), for 'centroid-nearest'. */
  distances?: ArrayLike<number>;
  /** Trim or fill to exactly the budget (switch; the plain result may differ from the budget). */
  exactBudget?: boolean;
}

/** The authors' released CC3M recipe. */
export const TLDR_FAITHFUL = { stride: 2, alignmentFraction: 0.5, pick: 'stride' } as const;

export function tldrSelect(n: number, opts: TldrOptions): Selection {
  checkLength('assignment', opts.assignment, n);
  if (opts.alignment) checkLength('alignment', opts.alignment, n);
  const pick = opts.pick ?? 'stride';
  if (pick === 'centroid-nearest') {
    if (!opts.distances) throw new Error("TL;DR 'centroid-nearest' needs the distances to the centroids");
    checkLength('distances', opts.distances, n);
  }
  if (opts.exactBudget && !opts.budget) throw new Error('exactBudget needs a budget');
  const eligible = eligibleMask(n, opts.eligible);
  const nEligible = countMask(eligible);
  const groups = groupByCluster(opts.assignment, eligible);
  const sizes = clusterSizes(groups);
  const clustered = groups.members.length;
  const target = opts.budget ? resolveBudget(opts.budget, nEligible) : undefined;
  const alignment = opts.alignment;

  const plan = planTldr(sizes, {
    target,
    hasAlignment: alignment !== undefined,
    stride: opts.stride,
    alignmentFraction: opts.alignmentFraction,
  });
  const N = plan.stride;

  // Step 1: pick ⌈n_c/N⌉ per cluster. pickRank = order of a member in the picking sequence,
  // used only by the exact-budget trim/fill (drop last picks first, add next picks first).
  const inStride = new Uint8Array(n);
  const pickRank = new Float64Array(n).fill(Infinity);
  const position = new Float64Array(n).fill(NaN);
  for (let c = 0; c < groups.k; c++) {
    const start = groups.offsets[c] as number;
    const end = groups.offsets[c + 1] as number;
    const size = end - start;
    if (size === 0) continue;
    const quota = Math.ceil(size / N);
    let order: Int32Array = groups.members.subarray(start, end);
    if (pick === 'centroid-nearest') {
      const d = opts.distances as ArrayLike<number>;
      order = Int32Array.from(order).sort((a, b) => (d[a] as number) - (d[b] as number) || a - b);
      for (let q = 0; q < size; q++) {
        const i = order[q] as number;
        position[i] = q;
        pickRank[i] = q;
        if (q < quota) inStride[i] = 1;
      }
    } else {
      for (let p = 0; p < size; p++) {
        const i = order[p] as number;
        position[i] = p;
        // Picks 0, N, 2N… first (rank p/N); the next-best fill for member p is rank ⌊p/N⌋ + ½.
        pickRank[i] = p % N === 0 ? p / N : Math.floor(p / N) + 0.5;
        if (p % N === 0) inStride[i] = 1;
      }
    }
  }
  const strideCount = countMask(inStride);

  // Step 2: top fraction of eligible pairs by alignment, over the whole pool (not per cluster).
  const inAlign = new Uint8Array(n);
  let alignCount = 0;
  const notes: string[] = [];
  if (alignment) {
    alignCount = Math.round(plan.alignmentFraction * nEligible);
    const ranked = rankByScore(alignment, eligible, 'desc');
    for (let k = 0; k < alignCount; k++) {
      const i = ranked[k] as number;
      if (!Number.isNaN(alignment[i] as number)) inAlign[i] = 1; // a pair with no score never passes
    }
    const nan = countNaN(alignment, eligible);
    if (nan > 0) notes.push(`${nan} eligible pairs have no alignment score; they rank last.`);
  }

  const kept = new Uint8Array(n);
  for (let i = 0; i < n; i++) kept[i] = inStride[i] && (!alignment || inAlign[i]) ? 1 : 0;
  const intersectCount = countMask(kept);

  const r = new ReasonWriter(n);
  const L = {
    kept: r.id('tldr', 'kept'),
    unclustered: r.id('tldr/cluster', 'unclustered'),
    notPicked: r.id('tldr/stride', pick === 'stride' ? 'not-stride-position' : 'not-nearest'),
    lowAlign: r.id('tldr/alignment', 'low-alignment'),
    trimmed: r.id('tldr/exact', 'trimmed'),
    filled: r.id('tldr/exact', 'filled'),
  };
  const alignOf = (i: number): number | undefined => (alignment ? (alignment[i] as number) : undefined);
  for (let i = 0; i < n; i++) {
    if (!eligible[i]) continue;
    if ((opts.assignment[i] as number) < 0) r.set(i, L.unclustered);
    else if (!inStride[i]) r.set(i, L.notPicked, position[i]);
    else if (alignment && !inAlign[i]) r.set(i, L.lowAlign, alignOf(i));
    else r.set(i, L.kept, alignOf(i) ?? position[i]);
  }
  if (clustered < nEligible)
    notes.push(`${nEligible - clustered} eligible pairs have no cluster and were dropped.`);

  const stats: StepCount[] = [
    { step: 'eligible', label: 'eligible pairs', count: nEligible },
    { step: 'cluster', label: `clustered into ${countNonEmpty(sizes)} clusters`, count: clustered },
    {
      step: 'stride',
      label:
        pick === 'stride'
          ? `one in ${N} members per cluster (⌈n_c/${N}⌉)`
          : `⌈n_c/${N}⌉ nearest each centroid`,
      count: strideCount,
    },
  ];
  if (alignment) {
    stats.push({
      step: 'alignment',
      label: `∩ top ${fmtPct(plan.alignmentFraction)} by alignment (${alignCount} pairs)`,
      count: intersectCount,
    });
  }

  if (opts.exactBudget && target !== undefined) {
    const current = countMask(kept);
    if (current > target) {
      // Drop the weakest kept pairs: lowest alignment, or the last picks of each cluster.
      const cand = collect(kept, 1, n);
      const key = (i: number): number => (alignment ? (alignment[i] as number) : -(pickRank[i] as number));
      sortBy(cand, key, true, n);
      for (let k = 0; k < current - target; k++) {
        const i = cand[k] as number;
        kept[i] = 0;
        r.set(i, L.trimmed, alignOf(i) ?? position[i]);
      }
    } else if (current < target) {
      // Add picked-but-low-alignment pairs first (best alignment first), then any clustered pair.
      const cand: number[] = [];
      for (let i = 0; i < n; i++)
        if (eligible[i] && !kept[i] && (opts.assignment[i] as number) >= 0) cand.push(i);
      const key = (i: number): number => {
        const tier = inStride[i] ? 0 : 1;
        const s = alignment
          ? -(Number.isNaN(alignment[i] as number) ? -Infinity : (alignment[i] as number))
          : (pickRank[i] as number);
        return tier * 1e12 + s;
      };
      const arr = Int32Array.from(cand);
      sortBy(arr, key, false, n);
      const add = Math.min(target - current, arr.length);
      for (let k = 0; k < add; k++) {
        const i = arr[k] as number;
        kept[i] = 1;
        r.set(i, L.filled, alignOf(i) ?? position[i]);
      }
    }
    stats.push({ step: 'exact', label: `trim/fill to exactly ${target} pairs`, count: countMask(kept) });
  }

  const derived: DerivedParam[] = [
    { key: 'stride', label: 'N (keep every N-th member)', value: N, note: plan.strideSource },
    { key: 'pick', label: 'Picking', value: pick === 'stride' ? 'stride (faithful)' : 'centroid-nearest' },
    { key: 'strideCount', label: 'Σ ⌈n_c/N⌉', value: strideCount },
  ];
  if (alignment) {
    derived.push({
      key: 'alignmentFraction',
      label: 'Alignment fraction kept (top)',
      value: plan.alignmentFraction,
      note: plan.fractionSource,
    });
  }
  derived.push({
    key: 'expected',
    label: 'Expected pairs (independence of stride and alignment)',
    value: plan.expected,
  });
  if (opts.budget && target !== undefined) {
    derived.push({
      key: 'budget',
      label: 'Requested budget',
      value: `${describeBudget(opts.budget)} = ${target} pairs`,
    });
    if (!opts.exactBudget && intersectCount !== target) {
      notes.push(
        `Kept ${intersectCount} pairs for a budget of ${target}: the recipe is approximate; enable the exact-budget switch to trim/fill.`,
      );
    }
  }
  return makeSelection({
    method: 'tldr',
    kept,
    reasons: r,
    stats,
    derived,
    ...(target !== undefined ? { budget: { requested: target, exact: !!opts.exactBudget } } : {}),
    notes,
  });
}

function countNonEmpty(sizes: Int32Array): number {
  let c = 0;
  for (let k = 0; k < sizes.length; k++) if ((sizes[k] as number) > 0) c++;
  return c;
}

function fmtPct(f: number): string {
  return `${+(f * 100).toFixed(2)} %`;
}

function collect(mask: Uint8Array, value: number, n: number): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (mask[i] === value) out.push(i);
  return Int32Array.from(out);
}

/** Sorts by key ascending; ties by index (descending when `laterFirst`, so trims drop later pairs first). */
function sortBy(arr: Int32Array, key: (i: number) => number, laterFirst: boolean, n: number): void {
  const keys = new Float64Array(n);
  for (let k = 0; k < arr.length; k++) keys[arr[k] as number] = key(arr[k] as number);
  arr.sort((a, b) => {
    const ka = keys[a] as number;
    const kb = keys[b] as number;
    if (ka !== kb) return ka < kb ? -1 : 1;
    return laterFirst ? b - a : a - b;
  });
}
