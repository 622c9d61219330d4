// Building blocks shared by the methods: reason columns, eligibility, deterministic ranking.
import type { Budget, DerivedParam, Reason, ReasonLabel, Reasons, Selection, StepCount } from './types';

export const EXCLUDED: ReasonLabel = { step: 'input', code: 'excluded' };

/** Writes per-pair reasons into compact columns; labels are interned. */
export class ReasonWriter {
  readonly labels: ReasonLabel[] = [EXCLUDED];
  readonly label: Uint16Array;
  readonly score: Float32Array;
  private readonly ids = new Map<string, number>([['input\0excluded', 0]]);

  constructor(readonly n: number) {
    this.label = new Uint16Array(n);
    this.score = new Float32Array(n).fill(NaN);
  }

  id(step: string, code: string): number {
    const key = `${step}\0${code}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.labels.length;
      if (id > 0xffff) throw new Error('too many distinct reason labels');
      this.labels.push({ step, code });
      this.ids.set(key, id);
    }
    return id;
  }

  set(i: number, labelId: number, score?: number): void {
    this.label[i] = labelId;
    this.score[i] = score ?? NaN;
  }

  columns(): Reasons {
    return { labels: this.labels, label: this.label, score: this.score };
  }
}

/** Decodes pair i's reason. */
export function reasonAt(reasons: Reasons, i: number): Reason {
  const l = reasons.labels[reasons.label[i] ?? 0] ?? EXCLUDED;
  const s = reasons.score[i] ?? NaN;
  return Number.isNaN(s) ? { step: l.step, code: l.code } : { step: l.step, code: l.code, score: s };
}

/** Count of pairs per reason label, for the "why dropped" breakdown. */
export function reasonCounts(reasons: Reasons): { step: string; code: string; count: number }[] {
  const counts = new Float64Array(reasons.labels.length);
  for (let i = 0; i < reasons.label.length; i++) counts[reasons.label[i] as number]! += 1;
  return reasons.labels.map((l, k) => ({ step: l.step, code: l.code, count: counts[k] ?? 0 }));
}

/** The eligibility mask as given, or all ones. Validates its length. */
export function eligibleMask(n: number, eligible?: Uint8Array): Uint8Array {
  if (!eligible) return new Uint8Array(n).fill(1);
  if (eligible.length !== n) throw new RangeError(`eligible has ${eligible.length} entries, expected ${n}`);
  return eligible;
}

/** Indices i with mask[i] ≠ 0, ascending. */
export function maskIndices(mask: Uint8Array): Int32Array {
  let c = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) c++;
  const out = new Int32Array(c);
  let k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) out[k++] = i;
  return out;
}

export function countMask(mask: Uint8Array): number {
  let c = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) c++;
  return c;
}

/** Sorted indices of the kept pairs. */
export function keptIndices(sel: Selection): Int32Array {
  return maskIndices(sel.kept);
}

/** Mask from a list of indices. */
export function indicesToMask(n: number, indices: ArrayLike<number>): Uint8Array {
  const m = new Uint8Array(n);
  for (let k = 0; k < indices.length; k++) m[indices[k] as number] = 1;
  return m;
}

/** Turns a budget into a pair count over `available` eligible pairs (clamped, rounded). */
export function resolveBudget(budget: Budget, available: number): number {
  if ('ratio' in budget) {
    const r = budget.ratio;
    if (!(r >= 0 && r <= 1)) throw new RangeError(`budget ratio must be in [0, 1], got ${r}`);
    return Math.round(r * available);
  }
  const p = budget.pairs;
  if (!(Number.isInteger(p) && p >= 0))
    throw new RangeError(`budget pairs must be a non-negative integer, got ${p}`);
  return Math.min(p, available);
}

/** Plain-language budget for labels. */
export function describeBudget(budget: Budget): string {
  return 'ratio' in budget ? `${+(budget.ratio * 100).toFixed(2)} %` : `${budget.pairs} pairs`;
}

/**
 * Eligible indices ordered by score, best first; ties broken by index (lower first) so the
 * result never depends on sort stability. NaN scores go last.
 */
export function rankByScore(
  scores: ArrayLike<number>,
  eligible: Uint8Array,
  order: 'desc' | 'asc' = 'desc',
): Int32Array {
  const idx = maskIndices(eligible);
  if (idx.length >= RADIX_MIN) return radixRank(scores, idx, order);
  const sign = order === 'desc' ? -1 : 1;
  idx.sort((a, b) => {
    const sa = scores[a] as number;
    const sb = scores[b] as number;
    const na = Number.isNaN(sa);
    const nb = Number.isNaN(sb);
    if (na || nb) return na && nb ? a - b : na ? 1 : -1;
    if (sa !== sb) return sign * (sa - sb) > 0 ? 1 : -1;
    return a - b;
  });
  return idx;
}

/** Below this many indices the comparator sort is as quick. */
const RADIX_MIN = 1 << 14;

/**
 * The same order as the comparator, by a stable LSD radix sort on the scores' bits (a
 * comparator sort of a million indices took seconds: WFPP ranks every pair of a dataset).
 * Each double becomes two uint32 halves that compare as the numbers do (sign flipped, or
 * all bits when negative; all bits again for 'desc'); ascending indices in, so ties stay
 * in index order. −0 counts as 0, NaNs go last in index order.
 */
function radixRank(scores: ArrayLike<number>, idx: Int32Array, order: 'desc' | 'asc'): Int32Array {
  const n = idx.length;
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  let ids = new Int32Array(n);
  const nans: number[] = [];
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer);
  const flip = order === 'desc' ? 0xffffffff : 0;
  let m = 0;
  for (let k = 0; k < n; k++) {
    const i = idx[k]!;
    const v = scores[i] as number;
    if (Number.isNaN(v)) {
      nans.push(i);
      continue;
    }
    f[0] = v === 0 ? 0 : v;
    let h = u[1]!;
    let l = u[0]!;
    if (h & 0x80000000) {
      h = ~h;
      l = ~l;
    } else h ^= 0x80000000;
    hi[m] = (h ^ flip) >>> 0;
    lo[m] = (l ^ flip) >>> 0;
    ids[m++] = i;
  }
  let hi2 = new Uint32Array(m);
  let lo2 = new Uint32Array(m);
  let ids2 = new Int32Array(m);
  const count = new Int32Array(1 << 11);
  // Digits, least significant first: 11 + 11 + 10 bits of lo, then of hi.
  for (const [word, shift, bits] of [
    [0, 0, 11],
    [0, 11, 11],
    [0, 22, 10],
    [1, 0, 11],
    [1, 11, 11],
    [1, 22, 10],
  ] as const) {
    const key = word === 0 ? lo : hi;
    const mask = (1 << bits) - 1;
    count.fill(0);
    for (let k = 0; k < m; k++) count[(key[k]! >>> shift) & mask]!++;
    if (count[(key[0]! >>> shift) & mask] === m) continue; // one digit value: nothing moves
    let sum = 0;
    for (let d = 0; d <= mask; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let k = 0; k < m; k++) {
      const at = count[(key[k]! >>> shift) & mask]!++;
      hi2[at] = hi[k]!;
      lo2[at] = lo[k]!;
      ids2[at] = ids[k]!;
    }
    [hi, hi2] = [hi2, hi];
    [lo, lo2] = [lo2, lo];
    [ids, ids2] = [ids2, ids];
  }
  const out = new Int32Array(n);
  out.set(ids.subarray(0, m));
  for (let k = 0; k < nans.length; k++) out[m + k] = nans[k]!;
  return out;
}

export function countNaN(scores: ArrayLike<number>, eligible: Uint8Array): number {
  let c = 0;
  for (let i = 0; i < eligible.length; i++) if (eligible[i] && Number.isNaN(scores[i] as number)) c++;
  return c;
}

/** Assembles a Selection; keptCount is recounted so it can never disagree with `kept`. */
export function makeSelection(args: {
  method: string;
  kept: Uint8Array;
  reasons: ReasonWriter;
  stats: StepCount[];
  derived?: DerivedParam[];
  budget?: { requested: number; exact: boolean };
  notes?: string[];
}): Selection {
  const keptCount = countMask(args.kept);
  const sel: Selection = {
    method: args.method,
    n: args.kept.length,
    kept: args.kept,
    keptCount,
    reasons: args.reasons.columns(),
    stats: args.stats,
    derived: args.derived ?? [],
    notes: args.notes ?? [],
  };
  if (args.budget)
    sel.budget = { requested: args.budget.requested, actual: keptCount, exact: args.budget.exact };
  return sel;
}

/** Validates that a per-pair column has n entries. */
export function checkLength(name: string, arr: { length: number }, n: number): void {
  if (arr.length !== n) throw new RangeError(`${name} has ${arr.length} entries, expected ${n}`);
}
