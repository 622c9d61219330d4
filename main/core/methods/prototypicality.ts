// Prototypicality pruning (Sorscher et al., 2022): distance to the nearest k-means centroid
// is the difficulty; keep the hardest (far) or the easiest (near) fraction.
import {
  ReasonWriter,
  countNaN,
  describeBudget,
  eligibleMask,
  makeSelection,
  rankByScore,
  resolveBudget,
} from './selection';
import type { BaseOptions, Budget, Selection } from './types';

export interface PrototypicalityOptions extends BaseOptions {
  /** Distance of each pair to its nearest centroid (KMeansResult.distances). */
  distances: ArrayLike<number>;
  budget: Budget;
  /** Sorscher et al.: keep hard examples when data is plentiful, easy ones when scarce. */
  keep: 'hard' | 'easy';
}

export function prototypicalitySelect(opts: PrototypicalityOptions): Selection {
  const n = opts.distances.length;
  const eligible = eligibleMask(n, opts.eligible);
  const ranked = rankByScore(opts.distances, eligible, opts.keep === 'hard' ? 'desc' : 'asc');
  const nan = countNaN(opts.distances, eligible);
  const target = Math.min(resolveBudget(opts.budget, ranked.length), ranked.length - nan);
  const kept = new Uint8Array(n);
  const r = new ReasonWriter(n);
  const keep = r.id('prototypicality', opts.keep === 'hard' ? 'kept-hard' : 'kept-easy');
  const drop = r.id('prototypicality', opts.keep === 'hard' ? 'too-easy' : 'too-hard');
  const missing = r.id('prototypicality', 'no-distance');
  for (let k = 0; k < ranked.length; k++) {
    const i = ranked[k] as number;
    const d = opts.distances[i] as number;
    if (k < target) kept[i] = 1;
    r.set(i, Number.isNaN(d) ? missing : k < target ? keep : drop, d);
  }
  return makeSelection({
    method: 'prototypicality',
    kept,
    reasons: r,
    stats: [
      { step: 'eligible', label: 'eligible pairs', count: ranked.length },
      {
        step: 'prototypicality',
        label: `${describeBudget(opts.budget)} ${opts.keep === 'hard' ? 'farthest from' : 'nearest to'} their centroid`,
        count: target,
      },
    ],
    derived: [{ key: 'keep', label: 'Keep', value: opts.keep }],
    budget: { requested: target, exact: true },
    notes: nan > 0 ? [`${nan} eligible pairs have no distance and are dropped.`] : [],
  });
}
