// rankByScore sorts large inputs by radix on the scores' bits: the order must be exactly
// the comparator's (score, then index; NaN last; −0 = 0), ties and infinities included.
import { describe, expect, it } from 'vitest';
import { rankByScore } from '../../../main/core/methods/selection';
import { mulberry32 } from '../../../main/core/methods/rng';

function reference(scores: Float64Array, eligible: Uint8Array, order: 'desc' | 'asc'): number[] {
  const idx: number[] = [];
  for (let i = 0; i < eligible.length; i++) if (eligible[i]) idx.push(i);
  const sign = order === 'desc' ? -1 : 1;
  return idx.sort((a, b) => {
    const sa = scores[a]!;
    const sb = scores[b]!;
    if (Number.isNaN(sa) || Number.isNaN(sb))
      return Number.isNaN(sa) && Number.isNaN(sb) ? a - b : Number.isNaN(sa) ? 1 : -1;
    if (sa !== sb) return sign * (sa - sb) > 0 ? 1 : -1;
    return a - b;
  });
}

describe('rankByScore on large inputs', () => {
  const rand = mulberry32(7);
  const n = 60_000;
  // Mixed: NaN, ±0, ±Infinity, many exact ties (small integers), tiny and negative values.
  const scores = Float64Array.from({ length: n }, () => {
    const x = rand();
    if (x < 0.05) return NaN;
    if (x < 0.1) return 0;
    if (x < 0.12) return -0;
    if (x < 0.13) return Infinity;
    if (x < 0.14) return -Infinity;
    if (x < 0.5) return Math.round((x - 0.7) * 40);
    return (rand() - 0.5) * 10 ** Math.floor(rand() * 12 - 8);
  });
  const eligible = Uint8Array.from({ length: n }, () => (rand() < 0.9 ? 1 : 0));

  it.each(['desc', 'asc'] as const)('matches the comparator order (%s)', (order) => {
    expect(Array.from(rankByScore(scores, eligible, order))).toEqual(reference(scores, eligible, order));
  });
});
