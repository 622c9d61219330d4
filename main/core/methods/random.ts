// Random baselines: ours is a seeded shuffle; the TL;DR authors' "random" baseline was the
// first quarter of the list, unshuffled, kept as a faithful variant for comparison.
import { permutation } from './rng';
import {
  ReasonWriter,
  describeBudget,
  eligibleMask,
  makeSelection,
  maskIndices,
  resolveBudget,
} from './selection';
import type { BaseOptions, Budget, Selection } from './types';

export interface RandomOptions extends BaseOptions {
  budget: Budget;
  seed: number;
}

/** Keeps round(r·N) (or `pairs`) eligible pairs chosen by a seeded shuffle. */
export function randomSelection(n: number, opts: RandomOptions): Selection {
  const eligible = eligibleMask(n, opts.eligible);
  const idx = maskIndices(eligible);
  const target = resolveBudget(opts.budget, idx.length);
  const perm = permutation(idx.length, opts.seed);
  const kept = new Uint8Array(n);
  const r = new ReasonWriter(n);
  const keep = r.id('random', 'kept');
  const drop = r.id('random', 'not-drawn');
  for (let k = 0; k < perm.length; k++) {
    const i = idx[perm[k] as number] as number;
    if (k < target) kept[i] = 1;
    r.set(i, k < target ? keep : drop, k);
  }
  return makeSelection({
    method: 'random',
    kept,
    reasons: r,
    stats: [
      { step: 'eligible', label: 'eligible pairs', count: idx.length },
      { step: 'random', label: `seeded shuffle, keep ${describeBudget(opts.budget)}`, count: target },
    ],
    derived: [
      { key: 'seed', label: 'Seed', value: opts.seed },
      { key: 'target', label: 'Pairs kept', value: target },
    ],
    budget: { requested: target, exact: true },
  });
}

export interface FirstKOptions extends BaseOptions {
  /** Authors' baseline: { ratio: 0.25 }. */
  budget: Budget;
}

/** The TL;DR authors' baseline: the first r·N eligible pairs in dataset order, unshuffled. */
export function firstKSelection(n: number, opts: FirstKOptions): Selection {
  const eligible = eligibleMask(n, opts.eligible);
  const idx = maskIndices(eligible);
  const target = resolveBudget(opts.budget, idx.length);
  const kept = new Uint8Array(n);
  const r = new ReasonWriter(n);
  const keep = r.id('first-k', 'kept');
  const drop = r.id('first-k', 'after-cut');
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k] as number;
    if (k < target) kept[i] = 1;
    r.set(i, k < target ? keep : drop, k);
  }
  return makeSelection({
    method: 'first-k',
    kept,
    reasons: r,
    stats: [
      { step: 'eligible', label: 'eligible pairs', count: idx.length },
      { step: 'first-k', label: `first ${describeBudget(opts.budget)} in dataset order`, count: target },
    ],
    derived: [{ key: 'target', label: 'Pairs kept', value: target }],
    budget: { requested: target, exact: true },
    notes: [
      'Faithful TL;DR baseline: the head of the list, not a random sample; biased if the list is ordered.',
    ],
  });
}
