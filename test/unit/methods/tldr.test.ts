import { describe, expect, it } from 'vitest';
import { TLDR_FAITHFUL, tldrSelect } from '../../../main/core/methods/tldr';
import { planTldr, strideCount } from '../../../main/core/methods/tldr-plan';
import {
  codeSequenceFeatures,
  tfidfBagOfCodes,
  pooledCodeEmbedding,
} from '../../../main/core/methods/tldr-features';
import { keptIndices, reasonAt } from '../../../main/core/methods/selection';
import { mulberry32 } from '../../../main/core/methods/rng';
import { testKMeans } from './helpers/kmeans';

// Hand-made example. Clusters (members in dataset order):
//   0: 0, 2, 3, 6, 8   (5) → N = 2 keeps positions 0, 2, 4 → pairs 0, 3, 8   (⌈5/2⌉ = 3)
//   1: 1, 4, 7         (3) →                positions 0, 2 → pairs 1, 7      (⌈3/2⌉ = 2)
//   2: 5, 9, 10, 11    (4) →                positions 0, 2 → pairs 5, 10     (⌈4/2⌉ = 2)
const ASSIGN = Int32Array.from([0, 1, 0, 0, 1, 2, 0, 1, 0, 2, 2, 2]);
//                     0     1     2     3     4     5     6     7     8     9     10    11
const ALIGN = Float32Array.from([0.9, 0.2, 0.8, 0.1, 0.7, 0.6, 0.3, 0.95, 0.4, 0.5, 0.65, 0.05]);

describe('TL;DR stride selection', () => {
  it('keeps positions 0, N, 2N… per cluster: ⌈n_c/N⌉ each', () => {
    const sel = tldrSelect(12, { assignment: ASSIGN, stride: 2 });
    expect(Array.from(keptIndices(sel))).toEqual([0, 1, 3, 5, 7, 8, 10]);
    expect(sel.keptCount).toBe(3 + 2 + 2);
    // N = 3: cluster 0 positions 0, 3 → 0, 6; cluster 1 → 1; cluster 2 positions 0, 3 → 5, 11
    const three = tldrSelect(12, { assignment: ASSIGN, stride: 3 });
    expect(Array.from(keptIndices(three))).toEqual([0, 1, 5, 6, 11]);
    expect(strideCount([5, 3, 4], 3)).toBe(2 + 1 + 2);
  });

  it('intersects with the top fraction by alignment (faithful N = 2, top 50 %)', () => {
    const sel = tldrSelect(12, { assignment: ASSIGN, alignment: ALIGN, ...TLDR_FAITHFUL });
    // Top 50 % of 12 = 6 by alignment: 7 (.95), 0 (.9), 2 (.8), 4 (.7), 10 (.65), 5 (.6)
    // ∩ stride {0, 1, 3, 5, 7, 8, 10} = {0, 5, 7, 10}
    expect(Array.from(keptIndices(sel))).toEqual([0, 5, 7, 10]);
    expect(sel.stats.map((s) => s.count)).toEqual([12, 12, 7, 4]);
    expect(reasonAt(sel.reasons, 2)).toMatchObject({
      step: 'tldr/stride',
      code: 'not-stride-position',
      score: 1,
    });
    expect(reasonAt(sel.reasons, 8)).toMatchObject({ step: 'tldr/alignment', code: 'low-alignment' });
    expect(reasonAt(sel.reasons, 8).score).toBeCloseTo(0.4, 6);
    expect(reasonAt(sel.reasons, 7)).toMatchObject({ step: 'tldr', code: 'kept' });
  });

  it('excludes ineligible pairs before walking the clusters', () => {
    const eligible = new Uint8Array(12).fill(1);
    eligible[0] = 0; // cluster 0 becomes 2, 3, 6, 8 → positions 0, 2 → pairs 2, 6
    const sel = tldrSelect(12, { assignment: ASSIGN, stride: 2, eligible });
    expect(Array.from(keptIndices(sel))).toEqual([1, 2, 5, 6, 7, 10]);
    expect(reasonAt(sel.reasons, 0).code).toBe('excluded');
  });

  it('centroid-nearest picks the ⌈n_c/N⌉ members nearest each centroid', () => {
    const distances = Float32Array.from([5, 1, 4, 3, 2, 9, 1, 3, 2, 1, 8, 7]);
    const sel = tldrSelect(12, { assignment: ASSIGN, stride: 2, pick: 'centroid-nearest', distances });
    // cluster 0 distances 0:5 2:4 3:3 6:1 8:2 → nearest 3: 6, 8, 3; cluster 1 1:1 4:2 7:3 → 1, 4;
    // cluster 2 5:9 9:1 10:8 11:7 → 9, 11
    expect(Array.from(keptIndices(sel))).toEqual([1, 3, 4, 6, 8, 9, 11]);
    expect(() => tldrSelect(12, { assignment: ASSIGN, pick: 'centroid-nearest' })).toThrow(/distances/);
  });
});

describe('TL;DR budget derivation', () => {
  it('derives N and the alignment fraction and shows them', () => {
    // sizes 5, 3, 4; budget 25 % of 12 = 3. N = 2 → Σ⌈n_c/2⌉ = 7, implied fraction 3/7 ≈ .43
    // is closest to ½ (N = 3 → 5 → .6; N = 1 → 12 → .25).
    const plan = planTldr([5, 3, 4], { target: 3, hasAlignment: true });
    expect(plan.stride).toBe(2);
    expect(plan.alignmentFraction).toBeCloseTo(3 / 7, 12);
    expect(plan.expected).toBe(3);
    // No alignment: the N whose Σ⌈n_c/N⌉ is closest to the budget (N = 5 → 1 + 1 + 1 = 3).
    expect(planTldr([5, 3, 4], { target: 3, hasAlignment: false })).toMatchObject({
      stride: 5,
      alignmentFraction: 1,
      strideCount: 3,
    });
  });

  it('at CC3M-like proportions a 25 % budget gives N = 2 and ≈ top 50 %, and reports budget vs actual', () => {
    const rand = mulberry32(3);
    const n = 40000;
    const k = 100;
    const assignment = Int32Array.from({ length: n }, () => Math.floor(rand() * k));
    const alignment = Float32Array.from({ length: n }, () => rand());
    const sel = tldrSelect(n, { assignment, alignment, budget: { ratio: 0.25 } });
    const get = (key: string) => sel.derived.find((d) => d.key === key)?.value;
    expect(get('stride')).toBe(2);
    expect(get('alignmentFraction') as number).toBeGreaterThan(0.49);
    expect(get('alignmentFraction') as number).toBeLessThanOrEqual(0.5);
    expect(sel.budget?.requested).toBe(10000);
    expect(sel.budget?.exact).toBe(false);
    // Independent alignment: the approximate recipe lands near, not on, the budget.
    expect(Math.abs(sel.keptCount - 10000)).toBeLessThan(300);
    if (sel.keptCount !== 10000) expect(sel.notes.join(' ')).toMatch(/exact-budget/);
  });

  it('exact-budget switch trims the weakest or fills the next-best, never silently', () => {
    const rand = mulberry32(5);
    const n = 5000;
    const assignment = Int32Array.from({ length: n }, () => Math.floor(rand() * 37));
    const alignment = Float32Array.from({ length: n }, () => rand());
    for (const pairs of [700, 1250, 2000]) {
      const plain = tldrSelect(n, { assignment, alignment, budget: { pairs }, stride: 2 });
      const exact = tldrSelect(n, { assignment, alignment, budget: { pairs }, stride: 2, exactBudget: true });
      expect(exact.keptCount).toBe(pairs);
      expect(exact.budget).toEqual({ requested: pairs, actual: pairs, exact: true });
      expect(exact.stats.at(-1)?.step).toBe('exact');
      // Trim keeps a subset of the plain result; fill keeps a superset.
      let violations = 0;
      for (let i = 0; i < n; i++) {
        if (plain.keptCount >= pairs && exact.kept[i] && !plain.kept[i]) violations++;
        if (plain.keptCount <= pairs && plain.kept[i] && !exact.kept[i]) violations++;
      }
      expect(violations).toBe(0);
    }
    const over = tldrSelect(n, {
      assignment,
      alignment,
      budget: { pairs: 100 },
      stride: 2,
      alignmentFraction: 0.5,
      exactBudget: true,
    });
    // Trimmed pairs are the lowest-alignment kept ones.
    let minKept = Infinity;
    let maxTrimmed = -Infinity;
    for (let i = 0; i < n; i++) {
      const r = reasonAt(over.reasons, i);
      if (over.kept[i]) minKept = Math.min(minKept, alignment[i]!);
      if (r.code === 'trimmed') maxTrimmed = Math.max(maxTrimmed, alignment[i]!);
    }
    expect(maxTrimmed).toBeLessThanOrEqual(minKept);
  });
});

describe('TL;DR features', () => {
  // Images of 6 concepts; each concept draws its 16 tokens from its own 8 codes of a 64-code
  // book, in random positions (the same content, shifted: what an index sequence handles badly).
  function conceptCodes(nPer: number, seed: number) {
    const rand = mulberry32(seed);
    const T = 16;
    const concepts = 6;
    const codes = new Int32Array(nPer * concepts * T);
    const label = new Int32Array(nPer * concepts);
    for (let i = 0; i < nPer * concepts; i++) {
      const c = i % concepts;
      label[i] = c;
      for (let t = 0; t < T; t++) {
        // 80 % of tokens from the concept's codes, 20 % background codes shared by all.
        codes[i * T + t] = rand() < 0.8 ? c * 8 + Math.floor(rand() * 8) : 48 + Math.floor(rand() * 16);
      }
    }
    return { codes, label, T };
  }

  function purity(assign: Int32Array, label: Int32Array, k: number): number {
    let total = 0;
    for (let c = 0; c < k; c++) {
      const counts = new Map<number, number>();
      for (let i = 0; i < assign.length; i++)
        if (assign[i] === c) counts.set(label[i]!, (counts.get(label[i]!) ?? 0) + 1);
      total += Math.max(0, ...counts.values());
    }
    return total / assign.length;
  }

  it('faithful: index sequence → PCA-whitened to min(256, T) dims → unit rows', () => {
    const { codes, T } = conceptCodes(40, 1);
    const f = codeSequenceFeatures(codes, T);
    expect(f.cols).toBe(Math.min(256, T));
    expect(f.rows).toBe(240);
    for (let i = 0; i < f.rows; i++) {
      let s = 0;
      for (let c = 0; c < f.cols; c++) s += f.data[i * f.cols + c]! ** 2;
      expect(s).toBeCloseTo(1, 4);
    }
  });

  it('TF-IDF bag-of-codes clusters shifted content far better than the index sequence', () => {
    const { codes, label, T } = conceptCodes(50, 2);
    const bag = tfidfBagOfCodes(codes, T, 64);
    const seq = codeSequenceFeatures(codes, T);
    const pBag = purity(testKMeans(bag, 6, { seed: 1, restarts: 4 }).assignment, label, 6);
    const pSeq = purity(testKMeans(seq, 6, { seed: 1, restarts: 4 }).assignment, label, 6);
    expect(pBag).toBeGreaterThan(0.9);
    expect(pBag).toBeGreaterThan(pSeq + 0.2);
  });

  it('pooled code embedding averages the code vectors', () => {
    const codebook = { data: Float32Array.from([1, 0, 0, 1, 1, 1]), rows: 3, cols: 2 };
    const f = pooledCodeEmbedding(Int32Array.from([0, 1, 2, 2]), 2, codebook);
    // image 0: mean of (1,0),(0,1) → (½,½) → unit (0.707, 0.707); image 1: (1,1) → same direction
    expect(f.data[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(f.data[3]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(() => pooledCodeEmbedding(Int32Array.from([0, 5]), 2, codebook)).toThrow(/outside/);
  });
});
