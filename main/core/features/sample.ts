// Which pairs an embed job with `sample` computes: pair seq s is in the sample when a
// seeded hash of s falls below the fraction. A pure function of (seq, fraction, seed): no
// list to keep in memory at any scale, the same rows on every resume, and nested samples
// (the 10 % sample of a seed lies inside its 20 % sample, so a larger --sample later only
// adds rows).
import { fmix32 } from '../methods/rng';

export interface EmbedSample {
  /** Fraction of the pairs in (0, 1]. */
  fraction: number;
  seed: number;
}

/** murmur3's finaliser over (seed, seq): uniform enough for a Bernoulli draw. */
function mix(seq: number, seed: number): number {
  return fmix32((Math.imul(seq ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(seed + 0x632be5ab, 0xc2b2ae35)) >>> 0);
}

/** Whether pair `seq` is in the sample (always, without one). */
export function inEmbedSample(seq: number, sample: EmbedSample | undefined): boolean {
  if (!sample || sample.fraction >= 1) return true;
  return mix(seq, sample.seed) < sample.fraction * 4294967296;
}

/** Checks a requested fraction: in (0, 1]. */
export function checkSampleFraction(fraction: number): string | undefined {
  if (!Number.isFinite(fraction) || fraction <= 0 || fraction > 1)
    return `the sample must be a fraction in (0, 1], got ${fraction}`;
  return undefined;
}
