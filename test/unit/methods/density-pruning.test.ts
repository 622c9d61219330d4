import { describe, expect, it } from 'vitest';
import { allocateQuotas, densityPruning } from '../../../main/core/methods/density-pruning';
import { prototypicalitySelect } from '../../../main/core/methods/prototypicality';
import { testKMeans } from './helpers/kmeans';
import { clusteredUnitVectors } from './helpers/synthetic';

describe('density-based pruning quotas', () => {
  it('solves the capped QP by hand: excess of a capped cluster is spread evenly', () => {
    // B = 100, p = (.7, .1, .1, .1): uncapped x = 70 + ν, 10 + ν, … Cluster 0 holds only 10, so
    // x0 = 10 and 3·(10 + ν) = 90 → ν = 20 → (10, 30, 30, 30).
    const q = allocateQuotas([0.7, 0.1, 0.1, 0.1], [1, 1, 1, 1], [10, 100, 100, 100], 100);
    expect(Array.from(q)).toEqual([10, 30, 30, 30]);
    // Lower bounds bind: p = (.97, .01, .01, .01), B = 50 → 48.5 + ν, .5 + ν…; with lb = 5 the
    // small ones sit at 5 and cluster 0 takes the rest (35).
    expect(
      Array.from(allocateQuotas([0.97, 0.01, 0.01, 0.01], [5, 5, 5, 5], [100, 100, 100, 100], 50)),
    ).toEqual([35, 5, 5, 5]);
  });

  it('quotas sum to the budget exactly and respect cluster sizes', () => {
    const sizes = [5, 40, 300, 1, 17, 90, 2, 60];
    const w = [0.3, 0.05, 0.1, 0.2, 0.05, 0.1, 0.15, 0.05];
    const lb = sizes.map((s) => Math.min(1, s - 1));
    for (const B of [0, 7, 8, 100, 257, 400, 515]) {
      const q = allocateQuotas(w, lb, sizes, B);
      expect(q.reduce((a, b) => a + b, 0)).toBe(B);
      q.forEach((v, c) => expect(v).toBeLessThanOrEqual(sizes[c]!));
    }
    expect(() => allocateQuotas(w, lb, sizes, 516)).toThrow(/exceeds/);
  });

  it('gives spread-out, isolated clusters more of the budget and keeps each cluster’s hardest', () => {
    // Concepts with different spreads: tight (0.05) and loose (0.3) in 16 dims.
    const tight = clusteredUnitVectors([150, 150, 150], 16, 0.05, 5);
    const loose = clusteredUnitVectors([150, 150, 150], 16, 0.3, 6);
    const n = 900;
    const data = new Float32Array(n * 16);
    data.set(tight.x.data);
    data.set(loose.x.data, 450 * 16);
    const x = { data, rows: n, cols: 16 };
    const km = testKMeans(x, 6, { seed: 2, metric: 'cosine', restarts: 3 });
    const res = densityPruning({
      assignment: km.assignment,
      centroids: km.centroids,
      distances: km.distances,
      metric: 'cosine',
      budget: { ratio: 0.3 },
      temperature: 0.05,
      neighbours: 3,
    });
    expect(res.keptCount).toBe(270);
    expect(res.budget).toEqual({ requested: 270, actual: 270, exact: true });
    expect(res.quotas.reduce((a, b) => a + b, 0)).toBe(270);
    // Kept share from the loose half exceeds the tight half.
    let looseKept = 0;
    for (let i = 450; i < n; i++) looseKept += res.kept[i]!;
    expect(looseKept).toBeGreaterThan(270 / 2);
    // Within each cluster every kept member is at least as far from the centroid as every dropped one.
    for (let c = 0; c < 6; c++) {
      let minKept = Infinity;
      let maxDropped = -Infinity;
      for (let i = 0; i < n; i++) {
        if (km.assignment[i] !== c) continue;
        if (res.kept[i]) minKept = Math.min(minKept, km.distances[i]!);
        else maxDropped = Math.max(maxDropped, km.distances[i]!);
      }
      expect(maxDropped).toBeLessThanOrEqual(minKept);
    }
  });
});

describe('prototypicality', () => {
  it('keeps the hardest or the easiest fraction by distance to the centroid', () => {
    const d = Float32Array.from([0.1, 0.9, 0.5, 0.3, NaN, 0.7]);
    const hard = prototypicalitySelect({ distances: d, budget: { ratio: 0.5 }, keep: 'hard' });
    // round(0.5 · 6) = 3 farthest: 0.9, 0.7, 0.5; the NaN pair is never kept.
    expect(Array.from(hard.kept)).toEqual([0, 1, 1, 0, 0, 1]);
    expect(hard.notes.join()).toMatch(/no distance/);
    const easy = prototypicalitySelect({ distances: d, budget: { pairs: 2 }, keep: 'easy' });
    expect(Array.from(easy.kept)).toEqual([1, 0, 0, 1, 0, 0]);
  });
});
