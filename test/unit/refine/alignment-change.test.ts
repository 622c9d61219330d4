import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../../main/core/compute/types';
import { crossFittedAlignment } from '../../../main/core/methods/cross-fit';
import {
  cosineAlignmentChange,
  ridgeAlignmentChange,
  summariseAlignment,
} from '../../../main/core/refine/alignment-change';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** Text = image · W + noise: the ridge can learn the map. */
function paired(
  n: number,
  dx: number,
  dy: number,
  noise: number,
  seed = 3,
): { x: Matrix; y: Matrix; w: Float32Array } {
  const r = rng(seed);
  const x = Float32Array.from({ length: n * dx }, r);
  const w = Float32Array.from({ length: dx * dy }, r);
  const y = new Float32Array(n * dy);
  for (let i = 0; i < n; i++)
    for (let b = 0; b < dy; b++) {
      let s = 0;
      for (let a = 0; a < dx; a++) s += x[i * dx + a]! * w[a * dy + b]!;
      y[i * dy + b] = s + noise * r();
    }
  return { x: { data: x, rows: n, cols: dx }, y: { data: y, rows: n, cols: dy }, w };
}

function rowsOf(m: Matrix, rows: number[]): Matrix {
  const out = new Float32Array(rows.length * m.cols);
  rows.forEach((r, k) => out.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), k * m.cols));
  return { data: out, rows: rows.length, cols: m.cols };
}

describe('alignment before and after refinement', () => {
  const { x, y } = paired(300, 6, 5, 4);
  const rows = [3, 10, 11, 50, 120, 299];

  it('builtin: "before" is the cross-fitted alignment; the same text scores the same after', async () => {
    const fit = { seed: 1 };
    const same = await ridgeAlignmentChange(x, y, rows, rowsOf(y, rows), fit);
    const cf = await crossFittedAlignment(x, y, fit);
    rows.forEach((r, k) => {
      expect(same.before[k]).toBeCloseTo(cf.scores[r]!, 5);
      expect(same.after[k]).toBeCloseTo(same.before[k]!, 5);
    });
  });

  it('builtin: a text closer to what the image predicts scores higher after', async () => {
    // The noiseless text of the same images: their alignment rises.
    const clean = paired(300, 6, 5, 0);
    const change = await ridgeAlignmentChange(x, y, rows, rowsOf(clean.y, rows), { seed: 1 });
    const mean = (v: Float32Array): number => v.reduce((a, b) => a + b, 0) / v.length;
    expect(mean(change.after)).toBeGreaterThan(mean(change.before) + 0.1);
  });

  it('builtin: pairs outside the fit mask are scored by the map fitted on all the others', async () => {
    const mask = new Uint8Array(300).fill(1);
    mask[10] = 0;
    const change = await ridgeAlignmentChange(x, y, [10], rowsOf(y, [10]), { seed: 1, fitMask: mask });
    expect(change.before[0]).toBeCloseTo(
      (await crossFittedAlignment(x, y, { seed: 1, fitMask: mask })).scores[10]!,
      5,
    );
    expect(change.after[0]).toBeCloseTo(change.before[0]!, 5);
  });

  it('joint space: cosine with the original and with the merged text', () => {
    const img: Matrix = { data: Float32Array.from([1, 0, 0, 1]), rows: 2, cols: 2 };
    const txt: Matrix = { data: Float32Array.from([0, 1, 1, 1]), rows: 2, cols: 2 };
    const merged: Matrix = { data: Float32Array.from([1, 1]), rows: 1, cols: 2 };
    const c = cosineAlignmentChange(img, txt, [0], merged);
    expect(c.before[0]).toBeCloseTo(0, 6);
    expect(c.after[0]).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('summarises means and histograms on shared bins', () => {
    const s = summariseAlignment(
      { before: Float32Array.from([0.1, 0.2, 0.3]), after: Float32Array.from([0.4, 0.5, 0.6]) },
      10,
    );
    expect(s.pairs).toBe(3);
    expect(s.meanBefore).toBeCloseTo(0.2, 6);
    expect(s.meanAfter).toBeCloseTo(0.5, 6);
    expect(s.histogramBefore.edges).toEqual(s.histogramAfter.edges);
    expect(s.histogramBefore.counts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(s.histogramAfter.counts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});
