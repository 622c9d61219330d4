import { describe, expect, it } from 'vitest';
import type { CodeWordAssociation } from '../../../main/core/features/builtin/association';
import { codeHistogram, topPatchesOf, wordEvidence } from '../../../main/core/refine/word-evidence';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomAssociation(k: number, V: number, r: () => number): CodeWordAssociation {
  const words = Array.from({ length: V }, (_, i) => `w${i}`);
  // Coarse values so ties between codes occur.
  const weights = Float32Array.from({ length: k * V }, () => (r() < 0.4 ? 0 : Math.round(r() * 8) / 4));
  return {
    k,
    words,
    index: new Map(words.map((w, i) => [w, i])),
    weights,
    docFreq: new Int32Array(V).fill(10),
    images: 100,
  };
}

/** Patch by patch, sorting every word's values: the definition. */
function bruteForce(
  a: CodeWordAssociation,
  codes: number[],
  topK: number,
): { mean: number[]; top: number[] } {
  const V = a.words.length;
  const valid = codes.filter((c) => c >= 0 && c < a.k);
  const mean: number[] = [];
  const top: number[] = [];
  for (let w = 0; w < V; w++) {
    const v = valid.map((c) => a.weights[c * V + w]!);
    mean.push(v.length ? v.reduce((x, y) => x + y, 0) / v.length : 0);
    const k = Math.min(topK, v.length);
    const best = v.sort((x, y) => y - x).slice(0, k);
    top.push(k ? best.reduce((x, y) => x + y, 0) / k : 0);
  }
  return { mean, top };
}

describe('word evidence over distinct codes', () => {
  it('equals the patch-by-patch definition (mean, and mean of the best k patches)', () => {
    const r = rng(7);
    for (let trial = 0; trial < 20; trial++) {
      const k = 5 + Math.floor(r() * 30);
      const a = randomAssociation(k, 1 + Math.floor(r() * 12), r);
      // Few distinct codes with many repeats (a background), some −1 and out-of-range codes.
      const T = 1 + Math.floor(r() * 64);
      const codes = Array.from({ length: T }, () =>
        r() < 0.1 ? -1 : r() < 0.05 ? k + 3 : Math.floor(r() ** 3 * k),
      );
      for (const topK of [1, 3, 8]) {
        const got = wordEvidence(a, codes, topK);
        const want = bruteForce(a, codes, topK);
        want.mean.forEach((m, w) => expect(got.mean[w]).toBeCloseTo(m, 5));
        want.top.forEach((t, w) => expect(got.top[w]).toBeCloseTo(t, 5));
      }
    }
  });

  it('is zero for an image without codes, and reuses the output buffers', () => {
    const a = randomAssociation(4, 3, rng(1));
    const out = { mean: new Float32Array(3).fill(9), top: new Float32Array(3).fill(9) };
    const ev = wordEvidence(a, [-1, -1], 8, out);
    expect(ev.mean).toBe(out.mean);
    expect(Array.from(ev.mean)).toEqual([0, 0, 0]);
    expect(Array.from(ev.top)).toEqual([0, 0, 0]);
  });

  it('histograms codes and finds a word’s best patches', () => {
    const h = codeHistogram([2, 2, -1, 0, 2, 9], 4);
    expect(Array.from(h.codes)).toEqual([0, 2]);
    expect(Array.from(h.counts)).toEqual([1, 3]);
    expect(h.patches).toBe(4);
    const a: CodeWordAssociation = {
      k: 3,
      words: ['x'],
      index: new Map([['x', 0]]),
      weights: Float32Array.from([0.1, 2, 0.5]),
      docFreq: Int32Array.from([5]),
      images: 5,
    };
    expect(topPatchesOf(a, [0, 1, 2, 1, -1], 0, 3)).toEqual([1, 3, 2]);
  });
});
