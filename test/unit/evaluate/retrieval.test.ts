import { describe, expect, it } from 'vitest';
import { recallAtK, recallTable, retrievalRanks } from '../../../main/core/evaluate/retrieval';
import type { Matrix } from '../../../main/core/compute/types';

/**
 * 12 pairs; image i = e_i. Texts of pairs 0–5 live in dims 0–5, pairs 6–11 in dims 6–11, each a
 * circulant: text j has value v[(j − i) mod 6] in dim i of its block, so every image row and
 * every text column of the similarity matrix holds a permutation of v (equal norms in a block).
 *   block A: v = (.9, .5, .4, .3, .2, .1) → the correct pair has the largest value → rank 0
 *   block B: v = (.05, .9, .5, .4, .3, .2) → the correct pair has the smallest positive value:
 *            5 wrong texts/images beat it, the other block scores 0 → rank 5
 * So i2t and t2i: R@1 = 6/12, R@5 = 6/12 (rank 5 is not < 5), R@10 = 12/12.
 */
function knownCase(): { img: Matrix; txt: Matrix } {
  const n = 12;
  const img = new Float32Array(n * n);
  const txt = new Float32Array(n * n);
  const vA = [0.9, 0.5, 0.4, 0.3, 0.2, 0.1];
  const vB = [0.05, 0.9, 0.5, 0.4, 0.3, 0.2];
  for (let i = 0; i < n; i++) img[i * n + i] = 1;
  for (let j = 0; j < n; j++) {
    const block = j < 6 ? 0 : 6;
    const v = j < 6 ? vA : vB;
    for (let i = 0; i < 6; i++) txt[j * n + block + i] = v[(((j - block - i) % 6) + 6) % 6]!;
  }
  return { img: { data: img, rows: n, cols: n }, txt: { data: txt, rows: n, cols: n } };
}

describe('retrieval Recall@k', () => {
  it('matches the hand-computed ranks', async () => {
    const { img, txt } = knownCase();
    const r = await retrievalRanks(img, txt);
    expect(Array.from(r.i2tRanks)).toEqual([0, 0, 0, 0, 0, 0, 5, 5, 5, 5, 5, 5]);
    expect(Array.from(r.t2iRanks)).toEqual([0, 0, 0, 0, 0, 0, 5, 5, 5, 5, 5, 5]);
    const t = recallTable(r, [1, 5, 10]);
    expect(t.i2t).toEqual([0.5, 0.5, 1]);
    expect(t.t2i).toEqual([0.5, 0.5, 1]);
    expect(t.rsum).toBeCloseTo(400, 9);
  });

  it('gives the same ranks with one-row blocks', async () => {
    const { img, txt } = knownCase();
    const r = await retrievalRanks(img, txt, { maxBlockFloats: 1 });
    expect(Array.from(r.i2tRanks)).toEqual([0, 0, 0, 0, 0, 0, 5, 5, 5, 5, 5, 5]);
  });

  it('counts ties against the query (a constant embedding does not score 100 %)', async () => {
    const n = 5;
    const ones = { data: new Float32Array(n * 3).fill(1), rows: n, cols: 3 };
    const r = await retrievalRanks(ones, ones);
    expect(recallAtK(r.i2tRanks, 1)).toBe(0);
    expect(Array.from(r.i2tRanks)).toEqual([4, 4, 4, 4, 4]);
  });

  it('with image groups: distinct images as queries, any caption of the image is correct', async () => {
    // 4 images × 2 captions (rows 2g, 2g+1 share image g). Caption 1 (of image 0) points at
    // image 1: t2i rank 1 for it; image 1 still finds its own caption (1.0 > 0.995) first.
    const img = new Float32Array(8 * 4);
    for (let i = 0; i < 8; i++) img[i * 4 + Math.floor(i / 2)] = 1;
    const t = (v: number[]) => v;
    const caps = [
      t([1, 0, 0, 0]),
      t([0.1, 1, 0, 0]),
      t([0, 1, 0, 0]),
      t([0, 1, 0.2, 0]),
      t([0, 0, 1, 0]),
      t([0, 0, 1, 0]),
      t([0, 0, 0, 1]),
      t([0, 0, 0, 1]),
    ];
    const txt = new Float32Array(caps.flat());
    const groups = Int32Array.from([0, 0, 1, 1, 2, 2, 3, 3]);
    const r = await retrievalRanks(
      { data: img, rows: 8, cols: 4 },
      { data: txt, rows: 8, cols: 4 },
      { groups },
    );
    expect(r.i2tRanks.length).toBe(4);
    expect(Array.from(r.i2tRanks)).toEqual([0, 0, 0, 0]);
    expect(Array.from(r.t2iRanks)).toEqual([0, 1, 0, 0, 0, 0, 0, 0]);
    expect(recallAtK(r.t2iRanks, 1)).toBe(7 / 8);
  });
});
