// Seeded PRNG (xoshiro128**, seeded through splitmix32) so that k-means seeding, sampling
// and mini-batch order are reproducible from one integer seed on every platform.

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** 32 uniform random bits as an unsigned integer. */
  u32(): number;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRng(seed: number): Rng {
  const sm = splitmix32(seed);
  let a = sm(),
    b = sm(),
    c = sm(),
    d = sm();
  if ((a | b | c | d) === 0) a = 1;
  const u32 = (): number => {
    const r = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c = (c ^ t) >>> 0;
    d = rotl(d, 11);
    return r;
  };
  // 53 random bits so that tiny probabilities (D² sampling) are resolved.
  const next = (): number => ((u32() >>> 5) * 67108864 + (u32() >>> 6)) / 9007199254740992;
  return { next, int: (n) => Math.min(n - 1, Math.floor(next() * n)), u32 };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Fisher–Yates shuffle in place. */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(a: T, rng: Rng): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/** `m` distinct indices from [0, n), ascending (Floyd's algorithm; O(m) memory). */
export function sampleIndices(n: number, m: number, rng: Rng): Int32Array {
  if (m >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const chosen = new Set<number>();
  for (let j = n - m; j < n; j++) {
    const t = rng.int(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return Int32Array.from(chosen).sort();
}
