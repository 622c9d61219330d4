import { describe, expect, it } from 'vitest';
import { createRng } from '../../../main/core/compute/prng';
import { squareSizes } from '../../../main/core/timix/mixing';
import {
  batchesOf,
  buildRecipeBatch,
  shuffledOrder,
  squareSizeDrawer,
  type RecipeBatch,
  type RecipePair,
} from '../../../main/core/timix/recipe';
import { AUTHORS_SCHEDULE, mixWeight } from '../../../main/core/timix/schedule';

const N = 203;
const pairs: RecipePair[] = Array.from({ length: N }, (_, seq) => ({
  seq,
  key: `k${seq}`,
  image: { kind: 'file', path: `images/${seq}.jpg` },
  caption: `caption ${seq}`,
  width: 200 + (seq % 7) * 50,
  height: 180 + (seq % 5) * 40,
}));
const maps = (() => {
  const rng = createRng(77);
  return pairs.map(() => Float32Array.from({ length: 256 }, () => rng.next() * 2 - 1));
})();

function recipe(seed: number, batchSize = 16): RecipeBatch[] {
  const draw = squareSizeDrawer(seed, squareSizes());
  const out: RecipeBatch[] = [];
  let n = 0;
  for (const slice of batchesOf(
    shuffledOrder(
      Int32Array.from(pairs, (p) => p.seq),
      seed,
    ),
    batchSize,
  )) {
    const b = buildRecipeBatch(
      out.length,
      n,
      Array.from(slice, (s) => pairs[s]!),
      Array.from(slice, (s) => maps[s]!),
      draw(),
    );
    n += b.samples.length;
    out.push(b);
  }
  return out;
}

describe('the recipe', () => {
  it('is identical for the same seed and different for another', () => {
    const a = JSON.stringify(recipe(5));
    expect(JSON.stringify(recipe(5))).toBe(a);
    expect(JSON.stringify(recipe(6))).not.toBe(a);
  });

  it('covers every pair once as target and once as source, in batches of B', () => {
    const r = recipe(3, 16);
    expect(r.map((b) => b.samples.length)).toEqual([...Array<number>(12).fill(16), 11]);
    const targets = r.flatMap((b) => b.samples.map((s) => s.target.seq)).sort((x, y) => x - y);
    const sources = r.flatMap((b) => b.samples.map((s) => s.source.seq)).sort((x, y) => x - y);
    expect(targets).toEqual(pairs.map((p) => p.seq));
    expect(sources).toEqual(targets);
    const keys = r.flatMap((b) => b.samples.map((s) => s.key));
    expect(new Set(keys).size).toBe(N);
    expect(keys[0]).toBe('000000000');
    // odd last batch: its middle is mixed with itself.
    const last = r.at(-1)!;
    expect(last.samples.filter((s) => s.selfMix).map((s) => s.index)).toEqual([5]);
  });

  it('gives each sample its batch’s s and λ, weights [λ, 1−λ], and boxes inside the original', () => {
    const sizes = new Set<number>();
    for (const b of recipe(11, 8)) {
      sizes.add(b.s);
      expect(b.lambda).toBe((256 - b.s * b.s) / 256);
      for (const s of b.samples) {
        expect(s.s).toBe(b.s);
        expect(s.weights).toEqual([b.lambda, 1 - b.lambda]);
        for (const side of [s.target, s.source]) {
          expect(side.window.size).toBe(b.s);
          expect(side.box.left).toBeGreaterThanOrEqual(0);
          expect(side.box.top).toBeGreaterThanOrEqual(0);
          expect(side.box.left + side.box.width).toBeLessThanOrEqual(side.width);
          expect(side.box.top + side.box.height).toBeLessThanOrEqual(side.height);
        }
        expect(Number.isFinite(s.source.saliency) && Number.isFinite(s.target.saliency)).toBe(true);
      }
    }
    expect(sizes.size).toBeGreaterThan(4);
    for (const s of sizes) expect(s >= 5 && s <= 12).toBe(true);
  });
});

describe('the schedule', () => {
  it('ramps 0 → 1 over epoch 0, stays 1 to epoch 19 and stops at 20 (of 30)', () => {
    const w = (e: number) => mixWeight(AUTHORS_SCHEDULE, e);
    expect(w(0)).toBe(0);
    expect(w(0.25)).toBe(0.25);
    expect(w(1)).toBe(1);
    expect(w(19.99)).toBe(1);
    expect(w(20)).toBe(0);
    expect(w(29.5)).toBe(0);
    expect(AUTHORS_SCHEDULE).toMatchObject({ epochs: 30, mixEpochs: [0, 19], rampEpochs: 1 });
  });
});
