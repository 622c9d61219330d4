import { describe, expect, it } from 'vitest';
import {
  bootstrapMean,
  compareEstimates,
  comparePaired,
  proportionInterval,
  seedInterval,
} from '../../../main/core/evaluate/uncertainty';
import { mulberry32 } from '../../../main/core/methods/rng';

function hits(n: number, p: number, seed: number): Float64Array {
  const r = mulberry32(seed);
  return Float64Array.from({ length: n }, () => (r() < p ? 1 : 0));
}

describe('uncertainty', () => {
  it('bootstrap interval covers the mean and shrinks with more queries', () => {
    const small = bootstrapMean(hits(100, 0.4, 1), { seed: 1 });
    const large = bootstrapMean(hits(4000, 0.4, 2), { seed: 1 });
    expect(small.low).toBeLessThan(small.value);
    expect(small.high).toBeGreaterThan(small.value);
    expect(large.high - large.low).toBeLessThan((small.high - small.low) / 3);
    expect(large.low).toBeLessThan(0.4);
    expect(large.high).toBeGreaterThan(0.4);
  });

  it('seed interval uses Student t', () => {
    const e = seedInterval([0.5, 0.52, 0.48, 0.51, 0.49]);
    // mean .5, sd = sqrt(.001/4) = .0158, t(4) = 2.776 → half-width 2.776 · .0158 / √5 = .0196
    expect(e.value).toBeCloseTo(0.5, 12);
    expect(e.high - e.value).toBeCloseTo((2.776 * Math.sqrt(0.001 / 4)) / Math.sqrt(5), 6);
  });

  it('marks a difference within the noise as no significant difference, never a win', () => {
    // Same queries; b differs from a on 3 of 500 queries (one gained, two lost).
    const a = hits(500, 0.45, 3);
    const b = Float64Array.from(a);
    const ones = [...a.keys()].filter((q) => a[q] === 1);
    const zeros = [...a.keys()].filter((q) => a[q] === 0);
    b[zeros[0]!] = 1;
    b[ones[0]!] = 0;
    b[ones[1]!] = 0;
    expect(comparePaired(a, b).verdict).toBe('no significant difference');
    // Unrelated runs at 135 vs 141 hits of 300 (45 % vs 47 %): a 2-point gap is within the noise.
    const c = new Float64Array(300);
    for (let q = 0; q < 135; q++) c[q] = 1;
    const d = new Float64Array(300);
    const perm = [...Array(300).keys()].sort((x, y) => ((x * 7919) % 300) - ((y * 7919) % 300));
    for (let q = 0; q < 141; q++) d[perm[q]!] = 1;
    const cmp = comparePaired(c, d);
    expect(cmp.difference.value).toBeCloseTo(-0.02, 12);
    expect(cmp.verdict).toBe('no significant difference');
  });

  it('marks a real difference, in the right direction', () => {
    const better = hits(800, 0.6, 6);
    const worse = hits(800, 0.4, 7);
    expect(comparePaired(better, worse).verdict).toBe('a better');
    expect(comparePaired(worse, better).verdict).toBe('b better');
    // Lower is better (e.g. a near-duplicate rate): a lower a wins.
    expect(comparePaired(worse, better, { higherIsBetter: false }).verdict).toBe('a better');
  });

  it('compares stored intervals too', () => {
    const a = { value: 0.5, low: 0.47, high: 0.53, method: 'bootstrap' as const, n: 1000, level: 0.95 };
    const b = { value: 0.49, low: 0.46, high: 0.52, method: 'bootstrap' as const, n: 1000, level: 0.95 };
    const c = { value: 0.4, low: 0.37, high: 0.43, method: 'bootstrap' as const, n: 1000, level: 0.95 };
    expect(compareEstimates(a, b).verdict).toBe('no significant difference');
    expect(compareEstimates(a, c).verdict).toBe('a better');
    const nan = { ...b, low: NaN, high: NaN };
    expect(compareEstimates(a, nan).verdict).toBe('no significant difference');
  });

  it('Wilson interval for proportions', () => {
    const e = proportionInterval(0, 50);
    expect(e.low).toBe(0);
    expect(e.high).toBeGreaterThan(0.05);
    expect(e.high).toBeLessThan(0.09);
  });
});
