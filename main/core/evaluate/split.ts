// The held-out pairs every run is judged on. They are excluded from selection (pass `pool` as
// the methods' `eligible`), so a method can never be rewarded for keeping its test pairs.
import { permutation } from '../methods/rng';

export interface HeldOutOptions {
  /** Fraction of the pairs held out (default 0.05), or an exact count. */
  fraction?: number;
  count?: number;
  seed: number;
  /** Image group per pair: pairs sharing an image go to the same side (no leakage through the image). */
  groups?: Int32Array;
  /** Pairs usable at all (e.g. status ok); others are neither held out nor in the pool. */
  usable?: Uint8Array;
}

export interface HeldOutSplit {
  /** Held-out pair indices, ascending. */
  heldOut: Int32Array;
  isHeldOut: Uint8Array;
  /** Usable and not held out: the `eligible` mask for selection. */
  pool: Uint8Array;
  seed: number;
}

export function heldOutSplit(n: number, opts: HeldOutOptions): HeldOutSplit {
  const usable = opts.usable;
  if (usable && usable.length !== n) throw new RangeError('usable length differs from the pair count');
  if (opts.groups && opts.groups.length !== n)
    throw new RangeError('groups length differs from the pair count');
  const isHeldOut = new Uint8Array(n);
  let usableCount = 0;
  for (let i = 0; i < n; i++) if (!usable || usable[i]) usableCount++;
  const want = opts.count ?? Math.round((opts.fraction ?? 0.05) * usableCount);
  if (!(want >= 0 && want <= usableCount))
    throw new RangeError(`cannot hold out ${want} of ${usableCount} pairs`);

  // Unit of assignment: a group (image) or a single pair. Draw units in seeded order until
  // the held-out side reaches the wanted number of pairs.
  const unitOf = new Int32Array(n).fill(-1);
  const unitSize: number[] = [];
  if (opts.groups) {
    const ids = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      if (usable && !usable[i]) continue;
      const g = opts.groups[i] as number;
      let u = ids.get(g);
      if (u === undefined) {
        u = ids.size;
        ids.set(g, u);
        unitSize.push(0);
      }
      unitOf[i] = u;
      unitSize[u] = (unitSize[u] as number) + 1;
    }
  } else {
    for (let i = 0; i < n; i++) {
      if (usable && !usable[i]) continue;
      unitOf[i] = unitSize.length;
      unitSize.push(1);
    }
  }
  const perm = permutation(unitSize.length, opts.seed);
  const chosen = new Uint8Array(unitSize.length);
  let taken = 0;
  for (let k = 0; k < perm.length && taken < want; k++) {
    const u = perm[k] as number;
    chosen[u] = 1;
    taken += unitSize[u] as number;
  }
  const pool = new Uint8Array(n);
  const held: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = unitOf[i] as number;
    if (u < 0) continue;
    if (chosen[u]) {
      isHeldOut[i] = 1;
      held.push(i);
    } else pool[i] = 1;
  }
  return { heldOut: Int32Array.from(held), isHeldOut, pool, seed: opts.seed };
}
