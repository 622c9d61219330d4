import { describe, expect, it } from 'vitest';
import {
  applyRidge,
  embeddingAlignment,
  fitRidge,
  ridgeScores,
  ridgeStats,
} from '../../../main/core/methods/alignment';
import { crossFittedAlignment } from '../../../main/core/methods/cross-fit';
import { alignmentFilter } from '../../../main/core/methods/alignment-filter';
import { reasonAt } from '../../../main/core/methods/selection';
import { mismatchCaptions, pairedFeatures } from './helpers/synthetic';

function bottomQuartileShare(scores: Float32Array, flagged: Uint8Array): number {
  const order = Array.from(scores.keys()).sort((a, b) => scores[a]! - scores[b]!);
  const q = Math.floor(scores.length / 4);
  let inBottom = 0;
  let total = 0;
  for (let k = 0; k < scores.length; k++) {
    if (!flagged[order[k]!]) continue;
    total++;
    if (k < q) inBottom++;
  }
  return inBottom / total;
}

/** Probability a flagged pair scores below an unflagged one (AUC for "flagged = low"). */
function aucLow(scores: Float32Array, flagged: Uint8Array): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!flagged[i]) continue;
    for (let j = 0; j < scores.length; j++) {
      if (flagged[j]) continue;
      pairs++;
      if (scores[i]! < scores[j]!) wins++;
      else if (scores[i] === scores[j]) wins += 0.5;
    }
  }
  return wins / pairs;
}

describe('ridge alignment (builtin features)', () => {
  it('recovers a known linear map', () => {
    // y = 2·x0 − x1 + 3 exactly (one output), tiny ridge.
    const n = 50;
    const x = new Float32Array(n * 2);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[2 * i] = Math.sin(i);
      x[2 * i + 1] = Math.cos(3 * i);
      y[i] = 2 * x[2 * i]! - x[2 * i + 1]! + 3;
    }
    const map = fitRidge(ridgeStats({ data: x, rows: n, cols: 2 }, { data: y, rows: n, cols: 1 }), {
      alpha: 1e-9,
    });
    expect(map.w[0]).toBeCloseTo(2, 4);
    expect(map.w[1]).toBeCloseTo(-1, 4);
    expect(
      map.meanY[0]! + applyRidge(map, { data: Float32Array.from([0.5, 0.25]), rows: 1, cols: 2 }).data[0]!,
    ).toBeCloseTo(2 * 0.5 - 0.25 + 3, 3);
  });

  it('cross-fitting ranks shuffled captions (10 %) in the bottom quartile ≥ 90 %', async () => {
    const { image, text } = pairedFeatures(2000, { seed: 21 });
    const { text: noisy, mismatched } = mismatchCaptions(text, 0.1, 22);
    const { scores, fold } = await crossFittedAlignment(image, noisy, { folds: 5, seed: 1 });
    expect(new Set(fold).size).toBe(5);
    expect(bottomQuartileShare(scores, mismatched)).toBeGreaterThanOrEqual(0.9);
  });

  it('no pair is scored by a map that saw it', async () => {
    // Few pairs per dimension, so a map that saw a pair would flatter it.
    const n = 240;
    const { image, text } = pairedFeatures(n, { seed: 31, dx: 160, dy: 120, latent: 6, noise: 0.8 });
    const { text: noisy, mismatched } = mismatchCaptions(text, 0.1, 32);
    const res = await crossFittedAlignment(image, noisy, { folds: 5, seed: 2, lambda: 1e-4 });
    // Every score equals the one from a map fitted on the other folds only.
    let worst = 0;
    for (let f = 0; f < 5; f++) {
      const inFold = Int32Array.from([...res.fold.keys()].filter((i) => res.fold[i] === f));
      const others = Int32Array.from([...res.fold.keys()].filter((i) => res.fold[i] !== f));
      const s = ridgeScores(
        fitRidge(ridgeStats(image, noisy, others), { lambda: 1e-4 }),
        image,
        noisy,
        inFold,
      );
      inFold.forEach((i, k) => (worst = Math.max(worst, Math.abs(res.scores[i]! - s[k]!))));
    }
    expect(worst).toBeLessThan(1e-5);
    // In-sample scoring flatters the shuffled pairs it memorised; cross-fitting does not.
    const inSample = ridgeScores(
      fitRidge(ridgeStats(image, noisy), { lambda: 1e-4 }),
      image,
      noisy,
      Int32Array.from({ length: n }, (_, i) => i),
    );
    const meanOf = (v: Float32Array) => {
      let s = 0;
      let c = 0;
      v.forEach((x, i) => {
        if (mismatched[i]) {
          s += x;
          c++;
        }
      });
      return s / c;
    };
    expect(meanOf(inSample)).toBeGreaterThan(meanOf(res.scores) + 0.5);
    expect(aucLow(res.scores, mismatched)).toBeGreaterThan(aucLow(inSample, mismatched));
  });

  it('keeps folds by image group and scores pairs outside fitMask with the full map', async () => {
    const { image, text } = pairedFeatures(300, { seed: 41 });
    const groups = Int32Array.from({ length: 300 }, (_, i) => Math.floor(i / 3));
    const fitMask = new Uint8Array(300).fill(1);
    for (let i = 0; i < 30; i++) fitMask[i] = 0;
    const res = await crossFittedAlignment(image, text, { groups, fitMask, folds: 4 });
    for (let g = 10; g < 100; g++) {
      expect(res.fold[3 * g]).toBe(res.fold[3 * g + 1]);
      expect(res.fold[3 * g]).toBe(res.fold[3 * g + 2]);
    }
    expect(res.fold[0]).toBe(-1);
    // The held-out pairs are scored too (by the map fit on all 270 others).
    const held = Int32Array.from({ length: 30 }, (_, i) => i);
    const map = fitRidge(
      ridgeStats(
        image,
        text,
        Int32Array.from({ length: 270 }, (_, i) => i + 30),
      ),
    );
    const expected = ridgeScores(map, image, text, held);
    for (let i = 0; i < 30; i++) expect(res.scores[i]).toBeCloseTo(expected[i]!, 5);
  });
});

describe('alignment filter and CLIP-style cosine', () => {
  it('cosine of paired embeddings', () => {
    const a = { data: Float32Array.from([1, 0, 0, 2]), rows: 2, cols: 2 };
    const b = { data: Float32Array.from([1, 1, 0, -3]), rows: 2, cols: 2 };
    const s = embeddingAlignment(a, b);
    expect(s[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(s[1]).toBeCloseTo(-1, 6);
  });

  it('keeps the top fraction or everything ≥ threshold', () => {
    const scores = Float32Array.from([0.1, 0.3, 0.25, NaN, 0.3, 0.05]);
    const top = alignmentFilter(scores, { budget: { ratio: 0.5 } });
    // 3 of 6: 0.3 (1), 0.3 (4), 0.25 (2); NaN ranks last
    expect(Array.from(top.kept)).toEqual([0, 1, 1, 0, 1, 0]);
    expect(reasonAt(top.reasons, 3).code).toBe('no-score');
    const thr = alignmentFilter(scores, { threshold: 0.25 });
    expect(Array.from(thr.kept)).toEqual([0, 1, 1, 0, 1, 0]);
    expect(thr.notes.join()).toMatch(/no alignment score/);
  });
});
