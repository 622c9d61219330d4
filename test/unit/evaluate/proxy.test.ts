import { describe, expect, it } from 'vitest';
import { PROXY_CAVEAT, proxyRun, proxySuite } from '../../../main/core/evaluate/proxy';
import { heldOutSplit } from '../../../main/core/evaluate/split';
import { crossFittedAlignment } from '../../../main/core/methods/cross-fit';
import { alignmentFilter } from '../../../main/core/methods/alignment-filter';
import { randomSelection } from '../../../main/core/methods/random';
import { mismatchCaptions, pairedFeatures } from '../methods/helpers/synthetic';

// 2000 pairs, 400 held out (clean), 40 % of the pool's captions shuffled.
function noisyData() {
  const n = 2000;
  const { image, text } = pairedFeatures(n, { seed: 51 });
  const split = heldOutSplit(n, { count: 400, seed: 1 });
  const { text: noisy, mismatched } = mismatchCaptions(text, 0.4, 52);
  for (const i of split.heldOut) {
    noisy.data.set(text.data.subarray(i * text.cols, (i + 1) * text.cols), i * text.cols);
    mismatched[i] = 0;
  }
  return { n, image, text: noisy, split, mismatched };
}

describe('proxy training on the selected pairs', () => {
  const { n, image, text, split, mismatched } = noisyData();
  const data = { image, text, heldOut: split.heldOut };

  it('an alignment-filtered subset beats a random subset of the same size, with intervals', async () => {
    const { scores } = await crossFittedAlignment(image, text, { fitMask: split.pool });
    const sel = alignmentFilter(scores, { budget: { pairs: 300 }, eligible: split.pool });
    let bad = 0;
    for (let i = 0; i < n; i++) if (sel.kept[i] && mismatched[i]) bad++;
    expect(bad / 300).toBeLessThan(0.1);
    const suite = await proxySuite(sel.kept, split.pool, data, { seeds: [1, 2, 3, 4, 5] });
    expect(suite.selection.trainPairs).toBe(300);
    expect(suite.random.trainPairs).toBe(300);
    expect(suite.full.trainPairs).toBe(1600);
    for (const k of ['i2t@5', 't2i@5', 'i2t@10']) expect(suite.vsRandom.get(k)?.verdict).toBe('a better');
    for (const arm of [suite.selection, suite.random, suite.full]) {
      for (const m of arm.metrics) {
        expect(m.estimate.low).toBeLessThanOrEqual(m.estimate.value);
        expect(m.estimate.high).toBeGreaterThanOrEqual(m.estimate.value);
      }
    }
    expect(suite.random.metrics[0]!.estimate.method).toBe('seeds');
    expect(suite.caveat).toBe(PROXY_CAVEAT);
  });

  it('a random "selection" is not declared a win over the random arm', async () => {
    const sel = randomSelection(n, { budget: { pairs: 300 }, seed: 99, eligible: split.pool });
    const suite = await proxySuite(sel.kept, split.pool, data, { seeds: [1, 2, 3, 4, 5] });
    for (const [, c] of suite.vsRandom) expect(c.verdict).not.toBe('a better');
  });

  it('refuses a training subset that contains held-out pairs', async () => {
    const train = new Uint8Array(n).fill(1);
    await expect(proxyRun(train, data)).rejects.toThrow(/held-out/);
  });
});
