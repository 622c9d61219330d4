// Realistic-enough synthetic data for the method tests: concepts (clusters) of unequal size in
// an embedding space, and paired image/text features that share a latent concept.
import type { Matrix } from '../../../../main/core/compute/types';
import { gaussian, mulberry32 } from '../../../../main/core/methods/rng';

export function randn(seed: number): () => number {
  return gaussian(mulberry32(seed));
}

function normalise(v: Float32Array, o: number, d: number): void {
  let s = 0;
  for (let k = 0; k < d; k++) s += (v[o + k] as number) ** 2;
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let k = 0; k < d; k++) v[o + k] = (v[o + k] as number) * inv;
}

/**
 * Unit vectors around `sizes.length` random concept directions; `spread` is the per-dim noise
 * relative to the unit centre (0.15 in 32 dims ≈ cosine 0.6 between members of a concept).
 */
export function clusteredUnitVectors(
  sizes: number[],
  dims: number,
  spread: number,
  seed: number,
): { x: Matrix; label: Int32Array } {
  const g = randn(seed);
  const n = sizes.reduce((a, b) => a + b, 0);
  const centres = new Float32Array(sizes.length * dims);
  for (let c = 0; c < sizes.length; c++) {
    for (let k = 0; k < dims; k++) centres[c * dims + k] = g();
    normalise(centres, c * dims, dims);
  }
  // Interleave members of all concepts so dataset order is unrelated to the concept.
  const label = new Int32Array(n);
  let p = 0;
  sizes.forEach((s, c) => {
    for (let t = 0; t < s; t++) label[p++] = c;
  });
  const rand = mulberry32(seed + 1);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = label[i] as number;
    label[i] = label[j] as number;
    label[j] = t;
  }
  const data = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) {
    const c = label[i] as number;
    for (let k = 0; k < dims; k++) data[i * dims + k] = (centres[c * dims + k] as number) + spread * g();
    normalise(data, i * dims, dims);
  }
  return { x: { data, rows: n, cols: dims }, label };
}

/**
 * Paired features in two different spaces sharing a latent: z = concept centre + variation;
 * image = A·z + noise (dx dims), text = B·z + noise (dy dims). Returns the matched pairs.
 */
export function pairedFeatures(
  n: number,
  opts: { concepts?: number; latent?: number; dx?: number; dy?: number; noise?: number; seed: number },
): { image: Matrix; text: Matrix; concept: Int32Array } {
  const concepts = opts.concepts ?? 12;
  const L = opts.latent ?? 8;
  const dx = opts.dx ?? 32;
  const dy = opts.dy ?? 24;
  const noise = opts.noise ?? 0.6;
  const g = randn(opts.seed);
  const centre = Float64Array.from({ length: concepts * L }, () => 1.5 * g());
  const A = Float64Array.from({ length: dx * L }, () => g() / Math.sqrt(L));
  const B = Float64Array.from({ length: dy * L }, () => g() / Math.sqrt(L));
  const image = new Float32Array(n * dx);
  const text = new Float32Array(n * dy);
  const concept = new Int32Array(n);
  const z = new Float64Array(L);
  const rand = mulberry32(opts.seed + 7);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rand() * concepts);
    concept[i] = c;
    for (let l = 0; l < L; l++) z[l] = (centre[c * L + l] as number) + g();
    for (let a = 0; a < dx; a++) {
      let s = 0;
      for (let l = 0; l < L; l++) s += (A[a * L + l] as number) * (z[l] as number);
      image[i * dx + a] = s + noise * g();
    }
    for (let b = 0; b < dy; b++) {
      let s = 0;
      for (let l = 0; l < L; l++) s += (B[b * L + l] as number) * (z[l] as number);
      text[i * dy + b] = s + noise * g();
    }
  }
  return { image: { data: image, rows: n, cols: dx }, text: { data: text, rows: n, cols: dy }, concept };
}

/** Shuffles the text rows among a random `fraction` of pairs (a derangement: none stays matched). */
export function mismatchCaptions(
  text: Matrix,
  fraction: number,
  seed: number,
): { text: Matrix; mismatched: Uint8Array } {
  const n = text.rows;
  const d = text.cols;
  const rand = mulberry32(seed);
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = idx[i] as number;
    idx[i] = idx[j] as number;
    idx[j] = t;
  }
  const m = Math.round(fraction * n);
  const chosen = idx.subarray(0, m);
  const out = Float32Array.from(text.data);
  const mismatched = new Uint8Array(n);
  for (let k = 0; k < m; k++) {
    const dst = chosen[k] as number;
    const src = chosen[(k + 1) % m] as number; // rotate: every chosen pair gets another's caption
    out.set(text.data.subarray(src * d, src * d + d), dst * d);
    mismatched[dst] = 1;
  }
  return { text: { data: out, rows: n, cols: d }, mismatched };
}
