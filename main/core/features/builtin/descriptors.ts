// The builtin image features: per-patch colour and gradient-orientation descriptors on
// a square grid, and a global descriptor (spatially pooled patches + a joint colour
// histogram). Pure functions over RGB8 pixels; the decode happens elsewhere.
//
// Why these: they need no model and no download, are cheap next to the JPEG decode
// (one pass of central differences), and still separate scenes by colour layout and
// texture, which is what a visual codebook and near-duplicate search need.

/** Patches per side. 16 × 16, the grid TiMix's saliency and mixing use (METHODS.md). */
export const GRID = 16;
/** Input side the image is decoded and cover-cropped to: 14-px patches. */
export const INPUT_SIZE = 224;
export const PATCH = INPUT_SIZE / GRID;
/** Orientation bins of the gradient histogram (unsigned, 0–180°). */
const ORIENT_BINS = 8;
/** Descriptor dims per patch: mean RGB, std RGB, 8 orientation bins, edge energy, 1 pad. */
export const PATCH_DIMS = 16;
/** Joint RGB histogram with 4 levels per channel. */
const HIST_LEVELS = 4;
const HIST_BINS = HIST_LEVELS ** 3;
/** Spatial pooling: the whole image and its 2 × 2 quadrants. */
const POOL_REGIONS = 5;
export const GLOBAL_DIMS = POOL_REGIONS * PATCH_DIMS + HIST_BINS;

export interface BuiltinImageFeatures {
  /** GRID² rows × PATCH_DIMS, row-major, patch (r, c) at row r·GRID + c. */
  patches: Float32Array;
  /** GLOBAL_DIMS values, L2-normalised after a square root (Hellinger-style). */
  global: Float32Array;
}

/**
 * Computes patch and global descriptors of an INPUT_SIZE² RGB8 image.
 * `rgb` has INPUT_SIZE × INPUT_SIZE × 3 bytes.
 */
export function describeImage(rgb: Uint8Array, size = INPUT_SIZE): BuiltinImageFeatures {
  if (rgb.length !== size * size * 3)
    throw new RangeError(`expected ${size}×${size} RGB, got ${rgb.length} bytes`);
  const patch = size / GRID;
  if (!Number.isInteger(patch)) throw new RangeError(`size ${size} is not a multiple of ${GRID}`);
  const nPatches = GRID * GRID;
  const sums = new Float64Array(nPatches * 3);
  const sq = new Float64Array(nPatches * 3);
  const orient = new Float64Array(nPatches * ORIENT_BINS);
  const energy = new Float64Array(nPatches);
  const hist = new Float64Array(HIST_BINS);

  // Luma plane for gradients.
  const luma = new Float32Array(size * size);
  for (let i = 0, j = 0; i < luma.length; i++, j += 3) {
    luma[i] = 0.299 * rgb[j]! + 0.587 * rgb[j + 1]! + 0.114 * rgb[j + 2]!;
  }

  const binScale = ORIENT_BINS / Math.PI;
  for (let y = 0; y < size; y++) {
    const pr = ((y / patch) | 0) * GRID;
    const row = y * size;
    const up = (y > 0 ? y - 1 : y) * size;
    const down = (y < size - 1 ? y + 1 : y) * size;
    for (let x = 0; x < size; x++) {
      const p = pr + ((x / patch) | 0);
      const i = row + x;
      const j = i * 3;
      const r = rgb[j]!;
      const g = rgb[j + 1]!;
      const b = rgb[j + 2]!;
      sums[p * 3]! += r;
      sums[p * 3 + 1]! += g;
      sums[p * 3 + 2]! += b;
      sq[p * 3]! += r * r;
      sq[p * 3 + 1]! += g * g;
      sq[p * 3 + 2]! += b * b;
      hist[
        (((r * HIST_LEVELS) >> 8) * HIST_LEVELS + ((g * HIST_LEVELS) >> 8)) * HIST_LEVELS +
          ((b * HIST_LEVELS) >> 8)
      ]! += 1;

      const gx = luma[row + (x < size - 1 ? x + 1 : x)]! - luma[row + (x > 0 ? x - 1 : x)]!;
      const gy = luma[down + x]! - luma[up + x]!;
      const mag = Math.sqrt(gx * gx + gy * gy);
      if (mag > 0) {
        let theta = Math.atan2(gy, gx);
        if (theta < 0) theta += Math.PI;
        const bin = Math.min(ORIENT_BINS - 1, (theta * binScale) | 0);
        orient[p * ORIENT_BINS + bin]! += mag;
        energy[p]! += mag;
      }
    }
  }

  const perPatch = patch * patch;
  const patches = new Float32Array(nPatches * PATCH_DIMS);
  for (let p = 0; p < nPatches; p++) {
    const o = p * PATCH_DIMS;
    for (let c = 0; c < 3; c++) {
      const mean = sums[p * 3 + c]! / perPatch;
      const variance = Math.max(0, sq[p * 3 + c]! / perPatch - mean * mean);
      patches[o + c] = mean / 255;
      patches[o + 3 + c] = Math.sqrt(variance) / 128;
    }
    const e = energy[p]!;
    for (let k = 0; k < ORIENT_BINS; k++) patches[o + 6 + k] = e > 0 ? orient[p * ORIENT_BINS + k]! / e : 0;
    // Edge energy per pixel, squashed to [0, 1): flat sky and busy foliage differ here.
    const perPixel = e / perPatch / 255;
    patches[o + 14] = perPixel / (perPixel + 0.05);
    patches[o + 15] = 0;
  }

  const global = new Float32Array(GLOBAL_DIMS);
  const half = GRID / 2;
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      const p = r * GRID + c;
      const quadrant = 1 + (r < half ? 0 : 2) + (c < half ? 0 : 1);
      for (let d = 0; d < PATCH_DIMS; d++) {
        const v = patches[p * PATCH_DIMS + d]!;
        global[d]! += v / nPatches;
        global[quadrant * PATCH_DIMS + d]! += v / (nPatches / 4);
      }
    }
  }
  const pixels = size * size;
  for (let k = 0; k < HIST_BINS; k++) global[POOL_REGIONS * PATCH_DIMS + k] = hist[k]! / pixels;
  // Hellinger-style: square roots tame dominant bins, then unit length for cosine.
  let norm = 0;
  for (let k = 0; k < GLOBAL_DIMS; k++) {
    const v = Math.sqrt(global[k]!);
    global[k] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < GLOBAL_DIMS; k++) global[k]! /= norm;
  return { patches, global };
}
