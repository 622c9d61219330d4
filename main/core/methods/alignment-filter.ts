// DataComp's "CLIP score" filter: keep the top fraction by image-text alignment,
// or every pair at or above a threshold (authors: top 30 % with L/14, or ≥ 0.25 with B/32).
import {
  ReasonWriter,
  countNaN,
  eligibleMask,
  makeSelection,
  rankByScore,
  resolveBudget,
  describeBudget,
} from './selection';
import type { BaseOptions, Budget, Selection } from './types';

export type AlignmentFilterOptions = BaseOptions & ({ budget: Budget } | { threshold: number });

export function alignmentFilter(scores: ArrayLike<number>, opts: AlignmentFilterOptions): Selection {
  const n = scores.length;
  const eligible = eligibleMask(n, opts.eligible);
  const r = new ReasonWriter(n);
  const keep = r.id('alignment', 'kept');
  const drop = r.id('alignment', 'low-alignment');
  const missing = r.id('alignment', 'no-score');
  const kept = new Uint8Array(n);
  const notes: string[] = [];
  const nan = countNaN(scores, eligible);
  if (nan > 0) notes.push(`${nan} eligible pairs have no alignment score and are dropped.`);
  let label: string;
  let target: number | undefined;
  let eligibleCount = 0;
  if ('threshold' in opts) {
    for (let i = 0; i < n; i++) {
      if (!eligible[i]) continue;
      eligibleCount++;
      const s = scores[i] as number;
      if (Number.isNaN(s)) r.set(i, missing);
      else if (s >= opts.threshold) {
        kept[i] = 1;
        r.set(i, keep, s);
      } else r.set(i, drop, s);
    }
    label = `alignment ≥ ${opts.threshold}`;
  } else {
    const ranked = rankByScore(scores, eligible, 'desc');
    eligibleCount = ranked.length;
    target = Math.min(resolveBudget(opts.budget, ranked.length), ranked.length - nan);
    for (let k = 0; k < ranked.length; k++) {
      const i = ranked[k] as number;
      const s = scores[i] as number;
      if (k < target) kept[i] = 1;
      r.set(i, Number.isNaN(s) ? missing : k < target ? keep : drop, s);
    }
    label = `top ${describeBudget(opts.budget)} by alignment`;
  }
  const sel = makeSelection({
    method: 'alignment-filter',
    kept,
    reasons: r,
    stats: [
      { step: 'eligible', label: 'eligible pairs', count: eligibleCount },
      { step: 'alignment', label, count: 0 },
    ],
    derived: 'threshold' in opts ? [{ key: 'threshold', label: 'Threshold', value: opts.threshold }] : [],
    ...(target !== undefined ? { budget: { requested: target, exact: true } } : {}),
    notes,
  });
  sel.stats[1]!.count = sel.keptCount;
  if (!('threshold' in opts)) {
    let cut = Infinity;
    for (let i = 0; i < n; i++) if (kept[i]) cut = Math.min(cut, scores[i] as number);
    sel.derived.push({
      key: 'cutoff',
      label: 'Lowest kept alignment',
      value: Number.isFinite(cut) ? cut : NaN,
    });
  }
  return sel;
}
