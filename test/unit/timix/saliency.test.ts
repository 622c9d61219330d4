import { describe, expect, it } from 'vitest';
import { learnAssociation } from '../../../main/core/features/builtin/association';
import {
  builtinSaliency,
  clipSaliency,
  isFlat,
  resampleBilinear,
  tokenCosines,
  zScore,
} from '../../../main/core/timix/saliency';

const G = 16;

function meanSd(v: ArrayLike<number>): [number, number] {
  let m = 0;
  for (let i = 0; i < v.length; i++) m += v[i]!;
  m /= v.length;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i]! - m) ** 2;
  return [m, Math.sqrt(s / v.length)];
}

describe('zScore', () => {
  it('centres and scales; a constant map is flat', () => {
    const [m, sd] = meanSd(zScore([1, 2, 3, 4, 10]));
    expect(m).toBeCloseTo(0, 6);
    expect(sd).toBeCloseTo(1, 5);
    expect(isFlat(zScore(new Float32Array(256).fill(0.3)))).toBe(true);
    expect(isFlat(zScore([0, 1]))).toBe(false);
  });
});

describe('resampleBilinear', () => {
  it('keeps a constant map constant and a 16 × 16 map unchanged', () => {
    const c = resampleBilinear(new Float32Array(49).fill(2), [7, 7]);
    expect(c).toHaveLength(256);
    for (const v of c) expect(v).toBeCloseTo(2, 6);
    const id = Float32Array.from({ length: 256 }, (_, i) => i);
    expect(Array.from(resampleBilinear(id, [16, 16]))).toEqual(Array.from(id));
  });

  it('keeps a left-to-right ramp monotone, symmetric, and within the input range', () => {
    const ramp = Float32Array.from({ length: 14 * 14 }, (_, i) => i % 14);
    const r = resampleBilinear(ramp, [14, 14]);
    for (let row = 0; row < G; row++) {
      for (let c = 1; c < G; c++) expect(r[row * G + c]!).toBeGreaterThanOrEqual(r[row * G + c - 1]!);
      expect(r[row * G]).toBe(0);
      expect(r[row * G + 15]).toBe(13);
      expect(r[row * G + 3]! + r[row * G + 12]!).toBeCloseTo(13, 5);
    }
  });

  it('maps a 2 × 2 map’s quadrants to the matching quadrants', () => {
    const r = resampleBilinear([1, 0, 0, 0], [2, 2]);
    expect(r[0]).toBe(1);
    expect(r[15]).toBe(0);
    expect(r[255]).toBe(0);
  });
});

describe('CLIP-family saliency', () => {
  it('is the z-scored, resampled cosine of each patch token with the text', () => {
    const dim = 4;
    const text = Float32Array.from([1, 0, 0, 0]);
    // 2 × 2 tokens: the top-left one points at the text, the rest away from it.
    const tokens = Float32Array.from([3, 0, 0, 0, 0, 2, 0, 0, -1, 0, 0, 0, 0, 0, 5, 0]);
    expect(Array.from(tokenCosines(tokens, dim, text))).toEqual([1, 0, -1, 0]);
    const s = clipSaliency(tokens, [2, 2], text);
    expect(s).toHaveLength(256);
    const [m, sd] = meanSd(s);
    expect(m).toBeCloseTo(0, 5);
    expect(sd).toBeCloseTo(1, 4);
    // top-left patch most salient, bottom-left least.
    expect(s[0]).toBe(Math.max(...s));
    expect(s[15 * G]).toBe(Math.min(...s));
  });
});

describe('builtin saliency', () => {
  // Two codes: 1 appears with "ball" and 2 is background for every image.
  const samples = () =>
    Array.from({ length: 40 }, (_, i) => {
      const codes = new Float32Array(256).fill(2);
      const hasBall = i % 2 === 0;
      if (hasBall) for (let t = 0; t < 20; t++) codes[(t * 7) % 256] = 1;
      return { codes, caption: hasBall ? 'a ball on grass' : `grass field ${i % 5 ? 'wide' : 'tall'}` };
    });
  const a = learnAssociation(samples, { k: 4, patchCount: 256, minDocs: 2, maxDocFraction: 0.6 });

  it('puts the mass on the patches whose code goes with the caption', () => {
    const img = samples()[0]!;
    const s = builtinSaliency(a, img.codes, img.caption)!;
    const [m, sd] = meanSd(s);
    expect(m).toBeCloseTo(0, 5);
    expect(sd).toBeCloseTo(1, 4);
    expect(s[0]!).toBeGreaterThan(0);
    expect(s[1]!).toBeLessThan(0);
  });

  it('is flat for an unknown caption and null without codes', () => {
    const img = samples()[0]!;
    expect(isFlat(builtinSaliency(a, img.codes, 'zebra zebra')!)).toBe(true);
    expect(builtinSaliency(a, new Float32Array(256).fill(-1), 'a ball')).toBeNull();
    expect(() => builtinSaliency(a, new Float32Array(49), 'a ball')).toThrow(RangeError);
  });
});
