// The builtin image features: per-patch colour and gradient-orientation descriptors on
// a square grid, and a global descriptor (spatially pooled patches + a joint colour
// histogram, then a blurred colour layout). Pure functions over RGB8 pixels; the decode
// happens elsewhere.
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
/** First part of the global descriptor: pooled patches + colour histogram. */
export const POOLED_DIMS = POOL_REGIONS * PATCH_DIMS + HIST_BINS;
/** Cells per side of the colour layout, the second part. */
export const LAYOUT_GRID = 8;
/** Opponent colour channels of the layout: luma, red–green, yellow–blue. */
const LAYOUT_CHANNELS = 3;
export const LAYOUT_DIMS = LAYOUT_GRID * LAYOUT_GRID * LAYOUT_CHANNELS;
export const GLOBAL_DIMS = POOLED_DIMS + LAYOUT_DIMS;
/**
 * The two parts are unit length, then weighted so that cosine = ¼ pooled + ¾ layout.
 * The pooled part lies in the positive orthant (every picture has some sky-ish bins
 * and some edges), so its cosines crowd near 1: two plain scenes look as alike as an
 * image and its re-encoded copy. The layout is mean-centred and spreads scenes apart.
 */
export const POOLED_WEIGHT = 0.5;
export const LAYOUT_WEIGHT = Math.sqrt(1 - POOLED_WEIGHT ** 2);
/** Gaussian blur of the layout in patches (21 px at 224 px): a crop or shift of a few % stays close. */
const LAYOUT_SIGMA = 1.5;
/** Border cells weigh 1 − WINDOW · (1 − sin) ≈ 0.44 of the centre: crops change edges most. */
const LAYOUT_WINDOW = 0.7;

export interface BuiltinImageFeatures {
  /** GRID² rows × PATCH_DIMS, row-major, patch (r, c) at row r·GRID + c. */
  patches: Float32Array;
  /**
   * GLOBAL_DIMS values, unit length: POOLED_DIMS of pooled patches and histogram
   * (square-rooted, Hellinger-style), then LAYOUT_DIMS of colour layout (cell-major,
   * row by row, channels innermost); each part unit length before its weight.
   */
  global: Float32Array;
}

/**
 * LAYOUT_GRID × GRID matrix taking a row (or column) of patch values to layout cells:
 * Gaussian blur with clamped edges, then the mean of each run of GRID / LAYOUT_GRID.
 */
function layoutMatrix(): Float64Array {
  const radius = Math.ceil(3 * LAYOUT_SIGMA);
  const kernel: number[] = [];
  let total = 0;
  for (let k = -radius; k <= radius; k++) {
    const w = Math.exp(-(k * k) / (2 * LAYOUT_SIGMA * LAYOUT_SIGMA));
    kernel.push(w);
    total += w;
  }
  const step = GRID / LAYOUT_GRID;
  const m = new Float64Array(LAYOUT_GRID * GRID);
  for (let o = 0; o < LAYOUT_GRID; o++) {
    for (let j = o * step; j < (o + 1) * step; j++) {
      for (let k = -radius; k <= radius; k++) {
        const src = Math.min(GRID - 1, Math.max(0, j + k));
        m[o * GRID + src]! += kernel[k + radius]! / total / step;
      }
    }
  }
  return m;
}
const LAYOUT_MATRIX = layoutMatrix();
const LAYOUT_WINDOW_WEIGHTS = Float64Array.from(
  { length: LAYOUT_GRID },
  (_, i) => 1 - LAYOUT_WINDOW * (1 - Math.sin((Math.PI * (i + 0.5)) / LAYOUT_GRID)),
);

/**
 * The colour layout of the patch means (values in [0, 1]) into `out` (LAYOUT_DIMS):
 * opponent channels, blurred down to LAYOUT_GRID², each channel mean-centred (the
 * overall colour is the pooled part's business), windowed, unit length; zeros when the
 * picture is flat.
 */
function colourLayout(patches: Float32Array, out: Float32Array): void {
  const C = LAYOUT_CHANNELS;
  const L = LAYOUT_GRID;
  const opp = new Float64Array(GRID * GRID * C);
  for (let p = 0; p < GRID * GRID; p++) {
    const r = patches[p * PATCH_DIMS]!;
    const g = patches[p * PATCH_DIMS + 1]!;
    const b = patches[p * PATCH_DIMS + 2]!;
    opp[p * C] = 0.299 * r + 0.587 * g + 0.114 * b;
    opp[p * C + 1] = (r - g) / 2;
    opp[p * C + 2] = (r + g) / 4 - b / 2;
  }
  // Separable: along x into `cols` (GRID rows × L cells), then along y.
  const cols = new Float64Array(GRID * L * C);
  for (let y = 0; y < GRID; y++) {
    for (let ox = 0; ox < L; ox++) {
      for (let x = 0; x < GRID; x++) {
        const w = LAYOUT_MATRIX[ox * GRID + x]!;
        if (w === 0) continue;
        for (let c = 0; c < C; c++) cols[(y * L + ox) * C + c]! += w * opp[(y * GRID + x) * C + c]!;
      }
    }
  }
  const lay = new Float64Array(L * L * C);
  for (let oy = 0; oy < L; oy++) {
    for (let y = 0; y < GRID; y++) {
      const w = LAYOUT_MATRIX[oy * GRID + y]!;
      if (w === 0) continue;
      for (let k = 0; k < L * C; k++) lay[oy * L * C + k]! += w * cols[y * L * C + k]!;
    }
  }
  for (let c = 0; c < C; c++) {
    let mean = 0;
    for (let q = 0; q < L * L; q++) mean += lay[q * C + c]!;
    mean /= L * L;
    for (let q = 0; q < L * L; q++) lay[q * C + c]! -= mean;
  }
  let norm = 0;
  for (let oy = 0; oy < L; oy++) {
    for (let ox = 0; ox < L; ox++) {
      const w = LAYOUT_WINDOW_WEIGHTS[oy]! * LAYOUT_WINDOW_WEIGHTS[ox]!;
      for (let c = 0; c < C; c++) {
        const v = lay[(oy * L + ox) * C + c]! * w;
        lay[(oy * L + ox) * C + c] = v;
        norm += v * v;
      }
    }
  }
  // A flat picture has no layout: zeros, not rounding noise blown up to unit length.
  const scale = norm > 1e-12 ? 1 / Math.sqrt(norm) : 0;
  for (let k = 0; k < LAYOUT_DIMS; k++) out[k] = lay[k]! * scale;
}

const BIN_SCALE = ORIENT_BINS / Math.PI;
const TAN_1 = Math.tan(Math.PI / 8);
const TAN_3 = Math.tan((3 * Math.PI) / 8);
/** Closer than this (relative) to a bin edge, atan2 decides. */
const EDGE = 1e-9;

/** The defining formula: the unsigned angle in [0, π), in ORIENT_BINS equal bins. */
export function atan2Bin(gx: number, gy: number): number {
  let theta = Math.atan2(gy, gx);
  if (theta < 0) theta += Math.PI;
  return Math.min(ORIENT_BINS - 1, (theta * BIN_SCALE) | 0);
}

/**
 * atan2Bin without atan2, which took a third of the descriptor's time: the gradient,
 * folded into the upper half-plane, against the tangents of the bin edges. Within
 * EDGE of an edge atan2Bin itself decides, so the bin is always the same.
 */
export function orientationBin(gx: number, gy: number): number {
  // gy is never −0 here (a difference of equal values is +0), so this fold matches atan2's.
  const u = gy < 0 ? -gx : gx;
  const v = gy < 0 ? -gy : gy;
  const a = u < 0 ? -u : u;
  // Signed distances to the edges at 22.5°, 45° and 67.5° from the horizontal.
  const e1 = v - a * TAN_1;
  const e2 = v - a;
  const e3 = v - a * TAN_3;
  const tol = EDGE * (a + v);
  const above = (e1 > tol ? 1 : 0) + (e2 > tol ? 1 : 0) + (e3 > tol ? 1 : 0);
  const notBelow = (e1 >= -tol ? 1 : 0) + (e2 >= -tol ? 1 : 0) + (e3 >= -tol ? 1 : 0);
  // Counted differently with and without the margin: next to an edge (or u ≈ 0, vertical).
  if (above !== notBelow || a <= tol) return atan2Bin(gx, gy);
  return u > 0 ? above : ORIENT_BINS - 1 - above;
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

  const patchCol = new Int32Array(size);
  for (let x = 0; x < size; x++) patchCol[x] = (x / patch) | 0;
  for (let y = 0; y < size; y++) {
    const pr = ((y / patch) | 0) * GRID;
    const row = y * size;
    const up = (y > 0 ? y - 1 : y) * size;
    const down = (y < size - 1 ? y + 1 : y) * size;
    for (let x = 0; x < size; x++) {
      const p = pr + patchCol[x]!;
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
        const bin = orientationBin(gx, gy);
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
  for (let k = 0; k < POOLED_DIMS; k++) {
    const v = Math.sqrt(global[k]!);
    global[k] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < POOLED_DIMS; k++) global[k]! *= POOLED_WEIGHT / norm;

  const layout = global.subarray(POOLED_DIMS);
  colourLayout(patches, layout);
  let length2 = POOLED_WEIGHT ** 2;
  for (let k = 0; k < LAYOUT_DIMS; k++) {
    layout[k]! *= LAYOUT_WEIGHT;
    length2 += layout[k]! ** 2;
  }
  // A flat picture (no layout): the pooled part alone, still unit length.
  if (length2 < 0.5) for (let k = 0; k < POOLED_DIMS; k++) global[k]! /= POOLED_WEIGHT;
  return { patches, global };
}
