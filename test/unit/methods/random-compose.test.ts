import { describe, expect, it } from 'vitest';
import { firstKSelection, randomSelection } from '../../../main/core/methods/random';
import { runIntersection, runSequential } from '../../../main/core/methods/compose';
import { alignmentFilter } from '../../../main/core/methods/alignment-filter';
import { tldrSelect } from '../../../main/core/methods/tldr';
import { wfppSelect } from '../../../main/core/methods/wfpp';
import { keptIndices, reasonAt, reasonCounts, resolveBudget } from '../../../main/core/methods/selection';
import { mulberry32 } from '../../../main/core/methods/rng';

describe('budgets', () => {
  it('resolves ratios and pair counts over the eligible pairs', () => {
    expect(resolveBudget({ ratio: 0.25 }, 10)).toBe(3); // round(2.5) = 3
    expect(resolveBudget({ pairs: 50 }, 10)).toBe(10);
    expect(() => resolveBudget({ ratio: 1.5 }, 10)).toThrow(RangeError);
    expect(() => resolveBudget({ pairs: 2.5 }, 10)).toThrow(RangeError);
  });
});

describe('random baselines', () => {
  it('seeded shuffle: round(r·N) eligible pairs, reproducible, seed-dependent', () => {
    const eligible = new Uint8Array(1000).fill(1);
    for (let i = 0; i < 100; i++) eligible[i * 10] = 0;
    const a = randomSelection(1000, { budget: { ratio: 0.3 }, seed: 7, eligible });
    const b = randomSelection(1000, { budget: { ratio: 0.3 }, seed: 7, eligible });
    const c = randomSelection(1000, { budget: { ratio: 0.3 }, seed: 8, eligible });
    expect(a.keptCount).toBe(270);
    expect(Array.from(a.kept)).toEqual(Array.from(b.kept));
    expect(Array.from(a.kept)).not.toEqual(Array.from(c.kept));
    for (let i = 0; i < 100; i++) expect(a.kept[i * 10]).toBe(0);
    // Not the head of the list: kept pairs spread over the whole range.
    const idx = keptIndices(a);
    expect(idx[idx.length - 1]!).toBeGreaterThan(900);
  });

  it("the authors' first-k baseline takes the head of the list", () => {
    const sel = firstKSelection(12, { budget: { ratio: 0.25 } });
    expect(Array.from(keptIndices(sel))).toEqual([0, 1, 2]);
    expect(sel.notes[0]).toMatch(/not a random sample/);
  });
});

describe('compositions', () => {
  const rand = mulberry32(9);
  const n = 400;
  const align = Float32Array.from({ length: n }, () => rand());
  const assignment = Int32Array.from({ length: n }, () => Math.floor(rand() * 8));
  const words = ['dog', 'cat', 'red', 'car', 'tree', 'sky', 'zebra', 'violin'];
  const captions = Array.from(
    { length: n },
    () => `a photo of a ${words[Math.floor(rand() * 8)]} ${words[Math.floor(rand() * 8)]}`,
  );

  it('sequential: B runs on A’s kept pairs; counts after each step; reasons name the dropping step', () => {
    const comp = runSequential(n, [
      { name: 'alignment', run: (eligible) => alignmentFilter(align, { budget: { ratio: 0.5 }, eligible }) },
      { name: 'tldr', run: (eligible) => tldrSelect(n, { assignment, stride: 2, eligible }) },
    ]);
    expect(comp.stats.map((s) => s.count)[0]).toBe(400);
    expect(comp.stats[1]!.count).toBe(200);
    expect(comp.stats[2]!.count).toBe(comp.keptCount);
    expect(comp.keptCount).toBeLessThanOrEqual(200);
    for (let i = 0; i < n; i++) if (comp.kept[i]) expect(comp.steps[0]!.kept[i]).toBe(1);
    const lowAlign = [...Array(n).keys()].find((i) => !comp.steps[0]!.kept[i])!;
    expect(reasonAt(comp.reasons, lowAlign)).toMatchObject({
      step: 'alignment:alignment',
      code: 'low-alignment',
    });
    const strideDrop = [...Array(n).keys()].find((i) => comp.steps[0]!.kept[i] && !comp.kept[i])!;
    expect(reasonAt(comp.reasons, strideDrop).step).toBe('tldr:tldr/stride');
    expect(comp.method).toBe('sequential(alignment-filter → tldr)');
  });

  it('intersection: kept = A ∩ B with the cumulative count after each step', () => {
    const comp = runIntersection(n, [
      { name: 'tldr', run: (eligible) => tldrSelect(n, { assignment, stride: 2, eligible }) },
      {
        name: 'wfpp',
        run: (eligible) => wfppSelect(captions, { budget: { ratio: 0.5 }, t: 1e-3, minCount: 1, eligible }),
      },
    ]);
    const [a, b] = comp.steps;
    let both = 0;
    for (let i = 0; i < n; i++) {
      const expected = a!.kept[i] && b!.kept[i] ? 1 : 0;
      expect(comp.kept[i]).toBe(expected);
      both += expected;
    }
    expect(comp.keptCount).toBe(both);
    expect(comp.stats.map((s) => s.count)).toEqual([n, a!.keptCount, both]);
    const total = reasonCounts(comp.reasons).reduce((s, r) => s + r.count, 0);
    expect(total).toBe(n);
  });
});
