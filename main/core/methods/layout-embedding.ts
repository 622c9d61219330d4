// SemDeDup's "layout" embedding, derived from a stored colour layout (grid × grid mean
// RGB, features/builtin/layout.ts). Meant for near-duplicate search with the builtin model,
// whose global descriptor cannot tell a re-encoded, resized or slightly cropped copy from
// another picture of the same kind of thing on the same kind of backdrop.
//
// Per picture: each grid row's mean colour is split off (the backdrop: sky over ground,
// wall over floor — a band structure many unrelated pictures share) and the rest (what is
// placed where) is blurred by a Gaussian of `sigma` cells, so a copy shifted or rescaled
// by a few percent still lines up. The model's global image descriptor, when given, is a
// third part: its texture and edge statistics survive a crop better than colour placement.
// Over the dataset: each part is centred on its mean and scaled to unit mean energy; the
// placement and the row profile (weighted `backgroundWeight`) make a unit-length layout
// vector, the descriptor part (weighted `imageWeight`) is appended, and the whole is
// L2-normalised.
// Measured on the demo data (3 seeds × 1200 pairs, 20 clusters, ε = 0.0125): the planted
// copies are removed with recall 0.98–1.00 and precision 0.97–0.99; the global descriptor
// alone reaches ≈ 0.85 / 0.9 at its best ε (it scores two pictures of a yellow star in a
// blue sky as high as a re-encoded copy).
import type { Matrix } from '../compute/types';

export interface LayoutEmbeddingOptions {
  /** Rows that take part (the others come out as zero rows and do not shape the centring). */
  eligible?: Uint8Array;
  /** Blur of the placement part, in cells (default 1.5). */
  sigma?: number;
  /** Weight of the row-profile (backdrop) part against the placement part (default 0.5). */
  backgroundWeight?: number;
  /** The model's global image vectors (one row per pair), appended with `imageWeight`. */
  image?: Matrix;
  /** Weight of the image part (default 0.4). */
  imageWeight?: number;
}

/** A 1-D Gaussian kernel, radius ⌊4σ + 0.5⌋, weights summing to 1. */
function gaussianKernel(sigma: number): Float64Array {
  const radius = Math.max(0, Math.floor(4 * sigma + 0.5));
  const k = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let x = -radius; x <= radius; x++) {
    const w = sigma > 0 ? Math.exp((-0.5 * x * x) / (sigma * sigma)) : x === 0 ? 1 : 0;
    k[x + radius] = w;
    sum += w;
  }
  for (let i = 0; i < k.length; i++) k[i]! /= sum;
  return k;
}

/** Mirror an index into [0, n) (half-sample symmetric: −1 → 0, n → n − 1). */
function mirror(i: number, n: number): number {
  const period = 2 * n;
  let j = ((i % period) + period) % period;
  if (j >= n) j = period - 1 - j;
  return j;
}

function normalise(x: Float32Array, from: number, to: number): void {
  let s = 0;
  for (let d = from; d < to; d++) s += x[d]! * x[d]!;
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let d = from; d < to; d++) x[d]! *= inv;
}

export function layoutEmbedding(layout: Matrix, opts: LayoutEmbeddingOptions = {}): Matrix {
  const { rows: n, cols } = layout;
  const G = Math.round(Math.sqrt(cols / 3));
  if (G * G * 3 !== cols) throw new RangeError(`a colour layout has grid × grid × 3 values, got ${cols}`);
  const sigma = opts.sigma ?? 1.5;
  const weight = opts.backgroundWeight ?? 0.5;
  const img = opts.image;
  if (img && img.rows !== n) throw new RangeError('image vectors and layout differ in rows');
  const imageDims = img ? img.cols : 0;
  const imageWeight = opts.imageWeight ?? 0.4;
  const kernel = gaussianKernel(sigma);
  const radius = (kernel.length - 1) / 2;
  const placeDims = G * G * 3;
  const profileDims = G * 3;
  const profileEnd = placeDims + profileDims;
  const dims = profileEnd + imageDims;
  const out = new Float32Array(n * dims);
  const use = new Uint8Array(n);
  const residual = new Float64Array(placeDims);
  const tmp = new Float64Array(placeDims);
  for (let i = 0; i < n; i++) {
    if (opts.eligible && !opts.eligible[i]) continue;
    const src = layout.data.subarray(i * cols, (i + 1) * cols);
    let any = false;
    for (let k = 0; k < cols && !any; k++) any = src[k] !== 0;
    if (!any) continue; // no features for this pair
    use[i] = 1;
    const o = i * dims;
    for (let r = 0; r < G; r++) {
      for (let ch = 0; ch < 3; ch++) {
        let m = 0;
        for (let c = 0; c < G; c++) m += src[(r * G + c) * 3 + ch]!;
        m /= G;
        out[o + placeDims + r * 3 + ch] = m;
        for (let c = 0; c < G; c++) residual[(r * G + c) * 3 + ch] = src[(r * G + c) * 3 + ch]! - m;
      }
    }
    // Separable blur: along columns into tmp, then along rows into the output.
    for (let r = 0; r < G; r++)
      for (let c = 0; c < G; c++)
        for (let ch = 0; ch < 3; ch++) {
          let s = 0;
          for (let t = -radius; t <= radius; t++)
            s += kernel[t + radius]! * residual[(r * G + mirror(c + t, G)) * 3 + ch]!;
          tmp[(r * G + c) * 3 + ch] = s;
        }
    for (let r = 0; r < G; r++)
      for (let c = 0; c < G; c++)
        for (let ch = 0; ch < 3; ch++) {
          let s = 0;
          for (let t = -radius; t <= radius; t++)
            s += kernel[t + radius]! * tmp[(mirror(r + t, G) * G + c) * 3 + ch]!;
          out[o + (r * G + c) * 3 + ch] = s;
        }
    if (img) out.set(img.data.subarray(i * imageDims, (i + 1) * imageDims), o + profileEnd);
  }
  // Centre both parts on the dataset's mean and give each unit mean energy.
  let m = 0;
  for (let i = 0; i < n; i++) m += use[i]!;
  if (m === 0) return { data: out, rows: n, cols: dims };
  const mean = new Float64Array(dims);
  for (let i = 0; i < n; i++) if (use[i]) for (let d = 0; d < dims; d++) mean[d]! += out[i * dims + d]! / m;
  const part = (d: number) => (d < placeDims ? 0 : d < profileEnd ? 1 : 2);
  const energy = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    if (!use[i]) continue;
    for (let d = 0; d < dims; d++) {
      const v = out[i * dims + d]! - mean[d]!;
      out[i * dims + d] = v;
      energy[part(d)]! += v * v;
    }
  }
  const scale = [1, weight, imageWeight].map((wt, k) =>
    energy[k]! > 0 ? wt / Math.sqrt(energy[k]! / m) : 0,
  );
  for (let i = 0; i < n; i++) {
    if (!use[i]) continue;
    const o = i * dims;
    for (let d = 0; d < dims; d++) out[o + d]! *= scale[part(d)]!;
    // The layout (placement + profile) at unit length, then the descriptor part added.
    normalise(out, o, o + profileEnd);
    normalise(out, o, o + dims);
  }
  return { data: out, rows: n, cols: dims };
}
