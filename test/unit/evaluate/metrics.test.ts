import { describe, expect, it } from 'vitest';
import { heldOutSplit } from '../../../main/core/evaluate/split';
import { clusterOccupancy } from '../../../main/core/evaluate/occupancy';
import { nearDuplicateRate } from '../../../main/core/evaluate/near-duplicates';
import { beforeAfterHistograms, fixedRange, histogram } from '../../../main/core/evaluate/histogram';
import { costSummary } from '../../../main/core/evaluate/cost';
import { compareVocabulary } from '../../../main/core/evaluate/vocabulary';
import { selectionReport } from '../../../main/core/evaluate/report';
import { clusteredUnitVectors } from '../methods/helpers/synthetic';

describe('held-out split', () => {
  it('is seeded, keeps image groups together and excludes held-out pairs from the pool', () => {
    const n = 1000;
    const groups = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 5));
    const usable = new Uint8Array(n).fill(1);
    usable[3] = 0;
    const a = heldOutSplit(n, { fraction: 0.1, seed: 4, groups, usable });
    const b = heldOutSplit(n, { fraction: 0.1, seed: 4, groups, usable });
    expect(Array.from(a.heldOut)).toEqual(Array.from(b.heldOut));
    expect(a.heldOut.length).toBeGreaterThanOrEqual(100);
    expect(a.heldOut.length).toBeLessThan(105);
    for (let g = 0; g < 200; g++) {
      const side = a.isHeldOut[5 * g + 4];
      for (let k = 0; k < 5; k++) if (5 * g + k !== 3) expect(a.isHeldOut[5 * g + k]).toBe(side);
    }
    for (let i = 0; i < n; i++) expect(a.pool[i]! + a.isHeldOut[i]!).toBe(i === 3 ? 0 : 1);
    expect(heldOutSplit(n, { fraction: 0.1, seed: 5 }).heldOut).not.toEqual(a.heldOut);
  });
});

describe('cluster occupancy entropy', () => {
  it('is log2 of the clusters when even, 0 when all in one', () => {
    const assign = Int32Array.from([0, 0, 1, 1, 2, 2, 3, 3]);
    const all = clusterOccupancy(assign, 4);
    expect(all.entropyBits).toBeCloseTo(2, 12);
    expect(all.normalized).toBeCloseTo(1, 12);
    const one = clusterOccupancy(assign, 4, Uint8Array.from([1, 1, 0, 0, 0, 0, 0, 0]));
    expect(one.entropyBits).toBe(0);
    expect(one.occupied).toBe(1);
    // 2 of 3 kept in cluster 0, 1 in cluster 1: H = −(2/3 log2 2/3 + 1/3 log2 1/3) ≈ 0.918
    const mix = clusterOccupancy(assign, 4, Uint8Array.from([1, 1, 1, 0, 0, 0, 0, 0]));
    expect(mix.entropyBits).toBeCloseTo(0.9182958340544896, 12);
  });
});

describe('near-duplicate rate', () => {
  it('counts kept pairs with another kept pair above the threshold', async () => {
    const { x } = clusteredUnitVectors([100, 100], 16, 0.3, 3);
    // Overwrite rows 1..20 with copies of rows 100..119 → 40 pairs have a duplicate.
    for (let k = 0; k < 20; k++) x.data.set(x.data.subarray((100 + k) * 16, (101 + k) * 16), (1 + k) * 16);
    const all = Int32Array.from({ length: 200 }, (_, i) => i);
    const r = await nearDuplicateRate(x, all, { threshold: 0.99 });
    expect(r.withDuplicate).toBe(40);
    expect(r.rate).toBeCloseTo(0.2, 12);
    expect(r.exact).toBe(true);
    // Dropping one copy of each duplicate brings it to 0.
    const dedup = all.filter((i) => i < 1 || i > 20);
    expect((await nearDuplicateRate(x, dedup, { threshold: 0.99 })).withDuplicate).toBe(0);
    // Sampled queries give an estimate with an interval around the truth.
    const s = await nearDuplicateRate(x, all, { threshold: 0.99, maxQueries: 100, seed: 1 });
    expect(s.exact).toBe(false);
    expect(s.estimate.low).toBeLessThan(0.2);
    expect(s.estimate.high).toBeGreaterThan(0.2);
    // Precomputed neighbours (row t ↔ kept[t], self first) give the same count.
    const nb = { k: 2, indices: new Int32Array(400), scores: new Float32Array(400) };
    const twinOf = (t: number) => (t >= 1 && t <= 20 ? t + 99 : t >= 100 && t <= 119 ? t - 99 : -1);
    for (let t = 0; t < 200; t++) {
      nb.indices[2 * t] = t;
      nb.scores[2 * t] = 1;
      const tw = twinOf(t);
      nb.indices[2 * t + 1] = tw >= 0 ? tw : (t + 50) % 200;
      nb.scores[2 * t + 1] = tw >= 0 ? 1 : 0.5;
    }
    expect((await nearDuplicateRate(x, all, { threshold: 0.99, neighbours: nb })).withDuplicate).toBe(40);
  });
});

describe('histograms, cost, vocabulary', () => {
  it('fixed bins shared before and after', () => {
    const v = Float32Array.from([-1, -0.5, 0, 0.25, 0.99, 1, 1.5, NaN]);
    const h = histogram(v, { min: -1, max: 1, bins: 4 });
    // bins [−1,−.5) [−.5,0) [0,.5) [.5,1]: −1 | −.5 | 0, .25 | .99, 1
    expect(Array.from(h.counts)).toEqual([1, 1, 2, 2]);
    expect(h).toMatchObject({ above: 1, missing: 1, total: 8 });
    const { before, after } = beforeAfterHistograms(v, Uint8Array.from([0, 0, 0, 1, 1, 0, 0, 0]), {
      min: -1,
      max: 1,
      bins: 4,
    });
    expect(Array.from(before.edges)).toEqual(Array.from(after.edges));
    expect(Array.from(after.counts)).toEqual([0, 0, 1, 1]);
    expect(fixedRange(Float32Array.from([0.12, 0.31]))).toEqual({ min: 0.1, max: 0.35000000000000003 });
  });

  it('pairs, bytes and the time ratio', () => {
    const kept = Uint8Array.from([1, 0, 1, 1]);
    const c = costSummary(kept, { bytes: [100, 200, NaN, 50] });
    expect(c).toMatchObject({
      pairsKept: 3,
      pairsTotal: 4,
      pairRatio: 0.75,
      bytesKept: 150,
      bytesTotal: 350,
      bytesUnknown: 1,
      timeRatio: 0.75,
    });
    expect(c.timeNote).toMatch(/linear/);
  });

  it('vocabulary size and entropy before/after', () => {
    const cmp = compareVocabulary(['red car', 'red bus', 'blue sky'], Uint8Array.from([1, 1, 0]));
    expect(cmp.before.vocabulary).toBe(5);
    expect(cmp.after.vocabulary).toBe(3);
    expect(cmp.after.entropyBits).toBeCloseTo(1.5, 12); // red ½, car ¼, bus ¼
  });
});

describe('selection report', () => {
  it('bundles the cheap metrics and leaves out what it has no data for', async () => {
    const { x, label } = clusteredUnitVectors([60, 60, 60], 8, 0.2, 9);
    const n = x.rows;
    const kept = new Uint8Array(n);
    for (let i = 0; i < n; i++) kept[i] = label[i] === 0 || i % 4 === 0 ? 1 : 0;
    const captions = Array.from({ length: n }, (_, i) => `concept ${label[i]} item`);
    const alignment = Float32Array.from({ length: n }, (_, i) => (i % 10) / 10);
    const full = await selectionReport({
      kept,
      clusters: { assignment: label, k: 3 },
      alignment: { scores: alignment, bins: { min: 0, max: 1, bins: 10 } },
      captions,
      features: { x, duplicateThreshold: 0.999 },
    });
    expect(full.cost.pairsKept).toBe(full.occupancy!.after.total);
    expect(full.occupancy!.before.entropyBits).toBeCloseTo(Math.log2(3), 12);
    expect(full.occupancy!.after.entropyBits).toBeLessThan(full.occupancy!.before.entropyBits);
    expect(full.alignment!.after.total).toBe(full.cost.pairsKept);
    expect(full.vocabulary!.before.vocabulary).toBe(5); // concept 0 1 2 item
    expect(full.coverage!.coverage).toBeGreaterThan(0.5);
    expect(full.nearDuplicates!.withDuplicate).toBe(0);
    const bare = await selectionReport({ kept });
    expect(Object.keys(bare).sort()).toEqual(['cost', 'notes']);
  });
});
