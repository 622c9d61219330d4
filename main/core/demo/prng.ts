// Seeded randomness for the demo generator: same seed, same dataset, byte for byte.
// Math.random is never used here.
import { fmix32, mulberry32 as baseMulberry32 } from '../methods/rng';

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** mulberry32, the app's one seeded generator (methods/rng.ts): same seed, same scenes. */
export const mulberry32: (seed: number) => Rng = baseMulberry32;

/** Mixes numbers and strings into one 32-bit seed (FNV-1a over the parts, then a final avalanche). */
export function hashSeed(...parts: readonly (number | string)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = `${typeof part}:${part};`;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  }
  return fmix32(h);
}

/** An independent stream for one purpose (`parts` name it), so the draw order elsewhere cannot shift it. */
export function rngFor(seed: number, ...parts: readonly (number | string)[]): Rng {
  return mulberry32(hashSeed(seed, ...parts));
}

export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}

/** Integer in [lo, hi], both inclusive. */
export function intBetween(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

export function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('pick from an empty list');
  return items[Math.floor(rng() * items.length)]!;
}

/** Picks from `[value, weight]` pairs in proportion to the weights. */
export function weighted<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, w] of items) total += w;
  if (!(total > 0)) throw new RangeError('weighted pick needs a positive total weight');
  let r = rng() * total;
  for (const [v, w] of items) {
    r -= w;
    if (r < 0) return v;
  }
  return items[items.length - 1]![0];
}

/** Fisher–Yates, in place; returns `items`. */
export function shuffle<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
