import { describe, expect, it } from 'vitest';
import { fitLogistic2, logistic2 } from '../../../main/core/refine/logistic';
import { learnWordRoles, rocAuc, WordRole } from '../../../main/core/refine/word-roles';

describe('rocAuc', () => {
  it('is the chance a positive outranks a negative, ties half', () => {
    expect(rocAuc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([1, 1, 1, 1], [0, 1, 0, 1])).toBe(0.5);
    // pairs (pos, neg): (2,1) win, (2,3) loss, (3,1) win, (3,3) tie → 2.5 / 4
    expect(rocAuc([2, 3, 1, 3], [1, 1, 0, 0])).toBeCloseTo(0.625, 10);
    expect(rocAuc([1, 2], [0, 0])).toBeNaN();
  });
});

describe('logistic presence model', () => {
  it('recovers the coefficients of a logistic relation', () => {
    let s = 12345;
    const r = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const n = 20000;
    const x1 = Float32Array.from({ length: n }, () => r() * 4 - 2);
    const x2 = Float32Array.from({ length: n }, () => r() * 4 - 2);
    const y = Uint8Array.from({ length: n }, (_, i) =>
      r() < 1 / (1 + Math.exp(-(-1 + 2 * x1[i]! - 0.5 * x2[i]!))) ? 1 : 0,
    );
    const b = fitLogistic2(x1, x2, y, 0);
    expect(b[0]).toBeCloseTo(-1, 0);
    expect(b[1]).toBeCloseTo(2, 0);
    expect(b[2]).toBeCloseTo(-0.5, 0);
    expect(logistic2(b, 0, 0)).toBe(b[0]);
  });

  it('stays finite on separable and one-class data', () => {
    const x = Float32Array.from([0, 1, 2, 3, 4, 5]);
    for (const y of [Uint8Array.from([0, 0, 0, 1, 1, 1]), new Uint8Array(6), new Uint8Array(6).fill(1)]) {
      const b = fitLogistic2(x, x, y);
      for (const v of b) expect(Number.isFinite(v)).toBe(true);
    }
    const sep = fitLogistic2(x, new Float32Array(6), Uint8Array.from([0, 0, 0, 1, 1, 1]));
    expect(sep[1]).toBeGreaterThan(0);
  });
});

describe('word roles', () => {
  it('tells modifiers, objects, scenes and continuations apart from word order and AUCs', () => {
    const words = ['red', 'ball', 'grass', 'against', 'the', 'photo'];
    const captions = [
      ...Array(20).fill('a photo of a red ball on the grass'),
      ...Array(10).fill('the red ball against the grass'),
      ...Array(5).fill('a ball in the grass'),
    ];
    const r = learnWordRoles(
      {
        words,
        index: new Map(words.map((w, i) => [w, i])),
        docFreq: [30, 35, 35, 10, 35, 20],
        // red, ball: local evidence; grass and against: whole-image evidence; the, photo: none.
        aucTop: [0.95, 0.95, 0.9, 0.9, 0.6, 0.5],
        aucMean: [0.8, 0.8, 0.9, 0.9, 0.6, 0.5],
        captions,
      },
      { minDocs: 5 },
    );
    expect(Array.from(r.role)).toEqual([
      WordRole.modifier,
      WordRole.object,
      WordRole.scene,
      WordRole.none, // right after a head: continues a phrase
      WordRole.none,
      WordRole.none,
    ]);
    expect(r.modifiersOf.get(1)).toEqual(new Map([[0, 30]]));
    expect(r.articles.get('red ball')).toBe('a');
    expect(r.articles.get('ball')).toBe('a');
    expect(r.connectors.get('grass')).toBe('on the');
    expect(r.connectors.get('*')).toBe('on the');
  });
});
