import { describe, expect, it } from 'vitest';
import { coverageDensity, knnRadii } from '../../../main/core/evaluate/coverage';
import { randomSelection } from '../../../main/core/methods/random';
import { tldrSelect } from '../../../main/core/methods/tldr';
import { keptIndices } from '../../../main/core/methods/selection';
import type { Matrix } from '../../../main/core/compute/types';
import { randn } from '../methods/helpers/synthetic';

/** One broad concept (1400 pairs) and 60 small, tight, far-apart concepts of 10 pairs. */
function clustered(): { x: Matrix; label: Int32Array } {
  const g = randn(5);
  const d = 16;
  const sizes = [1400, ...Array(60).fill(10)];
  const n = sizes.reduce((a, b) => a + b, 0);
  const label = new Int32Array(n);
  const data = new Float32Array(n * d);
  const centres = sizes.map((_, c) => Array.from({ length: d }, () => (c === 0 ? 0 : 10 * g())));
  // Members interleaved in dataset order (as a crawl would be).
  const order: number[] = [];
  sizes.forEach((s, c) => {
    for (let k = 0; k < s; k++) order.push(c);
  });
  const r = randn(6);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(((r() + 10) * 1e6) % (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  order.forEach((c, i) => {
    label[i] = c;
    const spread = c === 0 ? 1 : 0.3;
    for (let k = 0; k < d; k++) data[i * d + k] = centres[c]![k]! + spread * g();
  });
  return { x: { data, rows: n, cols: d }, label };
}

describe('coverage and density (Naeem et al. 2020, k = 5)', () => {
  it('k-NN radii: distance to the 5th nearest other point', () => {
    // Points on a line at 0, 1, 2, …, 9: for the point at 0 the 5th neighbour is at 5.
    const x = { data: Float32Array.from({ length: 10 }, (_, i) => i), rows: 10, cols: 1 };
    const all = Int32Array.from({ length: 10 }, (_, i) => i);
    const r = knnRadii(x, all, 5);
    expect(r[0]).toBeCloseTo(5, 5);
    expect(r[5]).toBeCloseTo(3, 5); // neighbours 4, 6, 3, 7, 2 (or 8) → 3
    // Selecting everything: every ball is covered; density = Σ_i |ball_i ∩ Y| / (k·M).
    const cd = coverageDensity(x, all, all, { radii: r });
    expect(cd.coverage).toBe(1);
    expect(cd.density).toBeGreaterThan(1); // each ball holds itself plus ≥ 5 others
  });

  it('a stratified subset covers clustered data better than a random one of the same size', () => {
    const { x, label } = clustered();
    const n = x.rows;
    const all = Int32Array.from({ length: n }, (_, i) => i);
    const radii = knnRadii(x, all, 5);
    const strat = tldrSelect(n, { assignment: label, stride: 10 });
    const size = strat.keptCount;
    const covStrat = coverageDensity(x, all, keptIndices(strat), { radii }).coverage;
    let covRandom = 0;
    const seeds = [1, 2, 3, 4, 5];
    for (const seed of seeds) {
      const rnd = randomSelection(n, { budget: { pairs: size }, seed });
      covRandom += coverageDensity(x, all, keptIndices(rnd), { radii }).coverage / seeds.length;
    }
    // Random 10 % leaves about a third of the 10-pair concepts empty; stride keeps one of each.
    expect(covStrat).toBeGreaterThan(covRandom + 0.05);
  });
});
