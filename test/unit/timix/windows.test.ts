import { describe, expect, it } from 'vitest';
import { createRng } from '../../../main/core/compute/prng';
import { centreDistance, extremeWindows, prefixSums, windowSum } from '../../../main/core/timix/windows';

const G = 16;

/** Direct O(G²·s²) search with the same tie rule as extremeWindows. */
function bruteForce(map: ArrayLike<number>, size: number) {
  let hi = { row: 0, col: 0, sum: -Infinity, d: 0 };
  let lo = { row: 0, col: 0, sum: Infinity, d: 0 };
  for (let row = 0; row + size <= G; row++) {
    for (let col = 0; col + size <= G; col++) {
      let sum = 0;
      for (let r = row; r < row + size; r++) for (let c = col; c < col + size; c++) sum += map[r * G + c]!;
      const d = centreDistance(row, col, size, G);
      if (sum > hi.sum || (sum === hi.sum && d < hi.d)) hi = { row, col, sum, d };
      if (sum < lo.sum || (sum === lo.sum && d > lo.d)) lo = { row, col, sum, d };
    }
  }
  return { hi, lo };
}

function randomMap(seed: number, integer: boolean): Float32Array {
  const rng = createRng(seed);
  // Small integers make ties common, so the tie rule is exercised too.
  return Float32Array.from({ length: G * G }, () => (integer ? rng.int(3) - 1 : rng.next() * 4 - 2));
}

describe('extremeWindows', () => {
  it('prefix sums give every window sum exactly (integer map)', () => {
    const map = randomMap(3, true);
    const p = prefixSums(map, G);
    for (let s = 1; s <= G; s++)
      for (let r = 0; r + s <= G; r++)
        for (let c = 0; c + s <= G; c++) {
          let sum = 0;
          for (let i = r; i < r + s; i++) for (let j = c; j < c + s; j++) sum += map[i * G + j]!;
          expect(windowSum(p, G, r, c, s)).toBe(sum);
        }
  });

  it('matches brute force on random float maps, every s', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const map = randomMap(seed, false);
      for (let s = 1; s <= G; s++) {
        const w = extremeWindows(map, G, s);
        const b = bruteForce(map, s);
        expect(w.highest.sum).toBeCloseTo(b.hi.sum, 4);
        expect(w.lowest.sum).toBeCloseTo(b.lo.sum, 4);
        expect([w.highest.row, w.highest.col]).toEqual([b.hi.row, b.hi.col]);
        expect([w.lowest.row, w.lowest.col]).toEqual([b.lo.row, b.lo.col]);
      }
    }
  });

  it('matches brute force with ties (integer maps), every s', () => {
    for (let seed = 100; seed < 140; seed++) {
      const map = randomMap(seed, true);
      for (let s = 1; s <= G; s++) {
        const w = extremeWindows(map, G, s);
        const b = bruteForce(map, s);
        expect(w.highest).toEqual({ row: b.hi.row, col: b.hi.col, size: s, sum: b.hi.sum });
        expect(w.lowest).toEqual({ row: b.lo.row, col: b.lo.col, size: s, sum: b.lo.sum });
      }
    }
  });

  it('on a flat map takes the source from the centre and the target window from a corner', () => {
    const flat = new Float32Array(G * G);
    const w = extremeWindows(flat, G, 6);
    expect(w.highest).toMatchObject({ row: 5, col: 5 });
    expect(w.lowest).toMatchObject({ row: 0, col: 0 });
  });

  it('finds a planted blob', () => {
    const map = new Float32Array(G * G);
    for (let r = 3; r < 8; r++) for (let c = 9; c < 14; c++) map[r * G + c] = 1;
    map[15 * G + 0] = -5;
    const w = extremeWindows(map, G, 5);
    expect(w.highest).toMatchObject({ row: 3, col: 9, sum: 25 });
    expect(w.lowest.sum).toBe(-5);
    expect(w.lowest.col).toBe(0);
    expect(w.lowest.row + 5).toBe(16);
  });

  it('refuses sides outside the grid', () => {
    expect(() => extremeWindows(new Float32Array(G * G), G, 0)).toThrow(RangeError);
    expect(() => extremeWindows(new Float32Array(G * G), G, 17)).toThrow(RangeError);
    expect(() => extremeWindows(new Float32Array(10), G, 3)).toThrow(RangeError);
  });
});
