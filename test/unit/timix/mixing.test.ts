import { describe, expect, it } from 'vitest';
import { createRng } from '../../../main/core/compute/prng';
import { windowToOriginalPixels, windowToTrainingPixels } from '../../../main/core/timix/geometry';
import {
  drawSquareSize,
  mixLambda,
  MIX_GRID,
  partnerOf,
  planBatch,
  squareSizes,
} from '../../../main/core/timix/mixing';

const G = MIX_GRID;

function randomMaps(n: number, seed: number): Float32Array[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: G * G }, () => rng.next() * 2 - 1));
}

describe('square sizes', () => {
  it('are {5 … 12} for the authors’ range [0.35, 0.75]', () => {
    expect(G).toBe(16);
    expect(squareSizes()).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    expect(squareSizes([0.5, 0.5])).toEqual([8]);
    expect(() => squareSizes([0.8, 0.5])).toThrow(RangeError);
    expect(() => squareSizes([0, 0.5])).toThrow(RangeError);
  });

  it('are drawn uniformly from the range', () => {
    const rng = createRng(9);
    const counts = new Map<number, number>();
    for (let i = 0; i < 8000; i++) {
      const s = drawSquareSize(rng, squareSizes());
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });
});

describe('planBatch', () => {
  it('pairs target i with source B−1−i', () => {
    expect([0, 1, 2, 3].map((i) => partnerOf(i, 4))).toEqual([3, 2, 1, 0]);
    const plans = planBatch(randomMaps(6, 1), 7);
    expect(plans.map((p) => [p.target, p.source])).toEqual([
      [0, 5],
      [1, 4],
      [2, 3],
      [3, 2],
      [4, 1],
      [5, 0],
    ]);
    expect(plans.some((p) => p.selfMix)).toBe(false);
  });

  it('mixes the middle of an odd batch with itself', () => {
    const plans = planBatch(randomMaps(5, 2), 6);
    expect(plans[2]).toMatchObject({ target: 2, source: 2, selfMix: true });
    expect(plans.filter((p) => p.selfMix)).toHaveLength(1);
    expect(planBatch(randomMaps(1, 3), 6)[0]).toMatchObject({ target: 0, source: 0, selfMix: true });
  });

  it('gives λ = (256 − s²)/256 and in-bounds s × s windows for every s', () => {
    const maps = randomMaps(8, 4);
    for (let s = 1; s <= G; s++) {
      const plans = planBatch(maps, s);
      expect(mixLambda(s)).toBe((256 - s * s) / 256);
      for (const p of plans) {
        expect(p.lambda).toBe((256 - s * s) / 256);
        for (const w of [p.targetWindow, p.sourceWindow]) {
          expect(w.size).toBe(s);
          expect(w.row).toBeGreaterThanOrEqual(0);
          expect(w.col).toBeGreaterThanOrEqual(0);
          expect(w.row + s).toBeLessThanOrEqual(G);
          expect(w.col + s).toBeLessThanOrEqual(G);
          const px = windowToTrainingPixels(w, 224, G);
          expect(px).toEqual({ left: w.col * 14, top: w.row * 14, width: s * 14, height: s * 14 });
        }
      }
    }
    expect(mixLambda(5)).toBeCloseTo(0.90234375, 10);
    expect(mixLambda(12)).toBe(0.4375);
  });
});

describe('windows in pixels of the original image', () => {
  it('stay inside the centred square of any aspect ratio, with the window’s share of its side', () => {
    const sizes: [number, number][] = [
      [224, 224],
      [640, 480],
      [480, 640],
      [333, 1000],
      [1001, 17],
      [16, 16],
    ];
    for (const [w, h] of sizes) {
      const side = Math.min(w, h);
      const left0 = (w - side) / 2;
      const top0 = (h - side) / 2;
      for (let s = 1; s <= G; s++)
        for (const [row, col] of [
          [0, 0],
          [G - s, G - s],
          [Math.floor((G - s) / 2), 0],
        ] as const) {
          const b = windowToOriginalPixels({ row, col, size: s }, w, h, G);
          expect(b.left).toBeGreaterThanOrEqual(Math.floor(left0));
          expect(b.top).toBeGreaterThanOrEqual(Math.floor(top0));
          expect(b.left + b.width).toBeLessThanOrEqual(Math.ceil(left0 + side));
          expect(b.top + b.height).toBeLessThanOrEqual(Math.ceil(top0 + side));
          expect(Math.abs(b.width - (s * side) / G)).toBeLessThanOrEqual(1);
          expect(Math.abs(b.height - (s * side) / G)).toBeLessThanOrEqual(1);
        }
    }
    // 640 × 480: the square is x ∈ [80, 560); patch side 30 px.
    expect(windowToOriginalPixels({ row: 2, col: 3, size: 5 }, 640, 480, G)).toEqual({
      left: 170,
      top: 60,
      width: 150,
      height: 150,
    });
  });

  it('refuses training sizes that are not multiples of the grid', () => {
    expect(() => windowToTrainingPixels({ row: 0, col: 0, size: 2 }, 200, G)).toThrow(RangeError);
  });
});
