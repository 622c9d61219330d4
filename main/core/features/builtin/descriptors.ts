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
/** Joint RGB histogram with 4 levels (2 bits) per channel. */
const HIST_BITS = 2;
const HIST_BINS = 1 << (3 * HIST_BITS);
/** A channel's histogram level: v >> HIST_SHIFT, i.e. (v · levels) >> 8. */
const HIST_SHIFT = 8 - HIST_BITS;
/** Spatial pooling: the whole image and its 2 × 2 quadrants. */
const POOL_REGIONS = 5;
export const GLOBAL_DIMS = POOL_REGIONS * PATCH_DIMS + HIST_BINS;

export interface BuiltinImageFeatures {
  /** GRID² rows × PATCH_DIMS, row-major, patch (r, c) at row r·GRID + c. */
  patches: Float32Array;
  /** GLOBAL_DIMS values, L2-normalised after a square root (Hellinger-style). */
  global: Float32Array;
}

// Orientation bins without atan2, to the same bins as the original atan2 formula
// (atan2Bin), which other results are calibrated on.
//
// Fast path: q = 1 − gx·gy / (|gx·gy| + gy²) is a "diamond angle": it grows monotonically
// with the unsigned orientation, from 0 at 0° over 1 at 90° to 2 at 180°, and costs one
// division. A table over q in steps of 1/Q_STEPS gives the bin of every cell that lies
// clear of a bin boundary (by NEAR, far more than q's rounding error of ~1e-15); cells at
// a boundary, and gy = 0 (q is NaN, read as cell 0), take orientationBin.
//
// orientationBin compares |gy| and |gx| against tan(π/8) = 1 / tan(3π/8) after folding
// into the upper half-plane. Exact ties at 45°, 90° and 135° (common: flat areas, grey
// ramps) take the bin atan2 gives them, and gradients within NEAR (relative) of a boundary
// otherwise take the atan2 path itself; atan2's rounding (~1e-16) is far inside.
const TAN_22_5 = Math.tan(Math.PI / 8);
const NEAR = 1e-9;
const BIN_SCALE = ORIENT_BINS / Math.PI;
const Q_STEPS = 1024;
/** Marks a table cell that straddles a bin boundary. */
const AT_BOUNDARY = 255;

/** The reference bin: the angle of (gx, gy) folded into [0, π), in ORIENT_BINS equal steps. */
export function atan2Bin(gx: number, gy: number): number {
  let theta = Math.atan2(gy, gx);
  if (theta < 0) theta += Math.PI;
  return Math.min(ORIENT_BINS - 1, (theta * BIN_SCALE) | 0);
}

// atan2(y, ±y) and atan2(±y, 0) depend on the signs only, so each tie has one bin.
const TIE_45 = atan2Bin(1, 1);
const TIE_90 = atan2Bin(0, 1);
const TIE_135 = atan2Bin(-1, 1);

/** The bin of each q cell [k, k + 1) / Q_STEPS, or AT_BOUNDARY. */
const Q_BINS = (() => {
  // q of the angle kπ/8: tan φ / (1 + tan φ) up to 90°, mirrored (2 − q) beyond.
  const bounds: number[] = [];
  for (let k = 0; k <= ORIENT_BINS; k++) {
    const phi = (Math.min(k, ORIENT_BINS - k) * Math.PI) / ORIENT_BINS;
    const q = k * 2 === ORIENT_BINS ? 1 : Math.tan(phi) / (1 + Math.tan(phi));
    bounds.push(k * 2 <= ORIENT_BINS ? q : 2 - q);
  }
  const table = new Uint8Array(2 * Q_STEPS + 1);
  for (let c = 0; c < table.length; c++) {
    const lo = c / Q_STEPS - NEAR;
    const hi = (c + 1) / Q_STEPS + NEAR;
    const bin = bounds.findIndex((b, k) => k < ORIENT_BINS && lo > b && hi < bounds[k + 1]!);
    table[c] = bin < 0 ? AT_BOUNDARY : bin;
  }
  return table;
})();

/** Bin of a nonzero gradient, equal to atan2Bin(gx, gy): the table, or orientationBin. */
export function fastOrientationBin(gx: number, gy: number): number {
  const pq = gx * gy;
  const q = 1 - pq / ((pq < 0 ? -pq : pq) + gy * gy);
  const bin = Q_BINS[(q * Q_STEPS) | 0]!;
  return bin === AT_BOUNDARY ? orientationBin(gx, gy) : bin;
}

/** Bin of a nonzero gradient, equal to atan2Bin(gx, gy). */
export function orientationBin(gx: number, gy: number): number {
  // Fold into gy ≥ 0 (an unsigned orientation is the same after a half turn).
  const ay = gy < 0 ? -gy : gy;
  const sx = gy < 0 ? -gx : gx;
  const ax = sx < 0 ? -sx : sx;
  // a: the bin of the angle between the x-axis and (ax, ay), in [0, π/2].
  let a: number;
  if (ay < ax) {
    const d = ay - TAN_22_5 * ax;
    if ((d < 0 ? -d : d) <= NEAR * ax || ax - ay <= NEAR * ax) return atan2Bin(gx, gy);
    a = d < 0 ? 0 : 1;
  } else if (ay === ax) {
    return sx > 0 ? TIE_45 : TIE_135;
  } else if (ax === 0) {
    return TIE_90;
  } else {
    const d = ax - TAN_22_5 * ay;
    if ((d < 0 ? -d : d) <= NEAR * ay || ay - ax <= NEAR * ay || ax <= NEAR * ay) return atan2Bin(gx, gy);
    a = d > 0 ? 2 : 3;
  }
  // Left half (sx < 0): the angle is π minus the folded one, so the bins mirror.
  return sx < 0 ? ORIENT_BINS - 1 - a : a;
}

/** Working buffers, reused across calls (one image at a time per thread). */
let lumaScratch = new Float32Array(0);
const orientScratch = new Float64Array(ORIENT_BINS);
const histScratch = new Int32Array(HIST_BINS);
/** Per patch: sums of R, G, B, then sums of their squares (≤ 196 · 255² at 224 px). */
const colourScratch = new Int32Array(GRID * GRID * 6);

/**
 * Computes patch and global descriptors of an INPUT_SIZE² RGB8 image.
 * `rgb` has INPUT_SIZE × INPUT_SIZE × 3 bytes.
 */
export function describeImage(rgb: Uint8Array, size = INPUT_SIZE): BuiltinImageFeatures {
  if (rgb.length !== size * size * 3)
    throw new RangeError(`expected ${size}×${size} RGB, got ${rgb.length} bytes`);
  if (!Number.isInteger(size / GRID)) throw new RangeError(`size ${size} is not a multiple of ${GRID}`);
  // 8-bit sums of squares over a patch must fit in an int32.
  if (size > 2048) throw new RangeError(`size ${size} is too large`);
  const padded = (size + 2) * (size + 2);
  if (lumaScratch.length < padded) lumaScratch = new Float32Array(padded);
  const patches = new Float32Array(GRID * GRID * PATCH_DIMS);
  colourPass(rgb, size, lumaScratch, colourScratch.fill(0), histScratch.fill(0));
  gradientPass(lumaScratch, size, colourScratch, orientScratch, patches);
  return { patches, global: poolGlobal(patches, histScratch, size * size) };
}

// Two passes, each its own function so that V8 optimises each hot loop on its own, with
// the buffers as parameters (their checks leave the loop) and int32 arithmetic (| 0,
// Math.imul) where the sums are integers anyway.

/**
 * Row by row: per-patch colour sums and sums of squares, the joint colour histogram, and
 * the luma plane with a one-pixel border that repeats the edge, so that central
 * differences there are the one-sided differences of a clamped read.
 */
function colourPass(
  rgb: Uint8Array,
  size: number,
  luma: Float32Array,
  colour: Int32Array,
  hist: Int32Array,
): void {
  const patch = size / GRID;
  const w = size + 2;
  for (let y = 0; y < size; y++) {
    let j = y * size * 3;
    let k = (y + 1) * w + 1;
    const rowStart = k;
    const patchRow = ((y / patch) | 0) * GRID;
    for (let pc = 0; pc < GRID; pc++) {
      let sr = 0;
      let sg = 0;
      let sb = 0;
      let qr = 0;
      let qg = 0;
      let qb = 0;
      for (let x = 0; x < patch; x++, j += 3, k++) {
        const r = rgb[j]!;
        const g = rgb[j + 1]!;
        const b = rgb[j + 2]!;
        luma[k] = 0.299 * r + 0.587 * g + 0.114 * b;
        sr = (sr + r) | 0;
        sg = (sg + g) | 0;
        sb = (sb + b) | 0;
        qr = (qr + Math.imul(r, r)) | 0;
        qg = (qg + Math.imul(g, g)) | 0;
        qb = (qb + Math.imul(b, b)) | 0;
        const h =
          ((r >> HIST_SHIFT) << (2 * HIST_BITS)) | ((g >> HIST_SHIFT) << HIST_BITS) | (b >> HIST_SHIFT);
        hist[h] = (hist[h]! + 1) | 0;
      }
      const c = (patchRow + pc) * 6;
      colour[c] = (colour[c]! + sr) | 0;
      colour[c + 1] = (colour[c + 1]! + sg) | 0;
      colour[c + 2] = (colour[c + 2]! + sb) | 0;
      colour[c + 3] = (colour[c + 3]! + qr) | 0;
      colour[c + 4] = (colour[c + 4]! + qg) | 0;
      colour[c + 5] = (colour[c + 5]! + qb) | 0;
    }
    luma[rowStart - 1] = luma[rowStart]!;
    luma[rowStart + size] = luma[rowStart + size - 1]!;
  }
  luma.copyWithin(0, w, 2 * w);
  luma.copyWithin((size + 1) * w, size * w, (size + 1) * w);
}

/**
 * Patch by patch, its pixels row by row: the orientation histogram weighted by gradient
 * magnitude and the edge energy (each float sum adds in the same order as a scan of the
 * whole image, so it is the same to the last bit), then the patch's 16 dims.
 */
function gradientPass(
  luma: Float32Array,
  size: number,
  colour: Int32Array,
  orient: Float64Array,
  patches: Float32Array,
): void {
  const patch = size / GRID;
  const perPatch = patch * patch;
  const w = size + 2;
  for (let pr = 0; pr < GRID; pr++) {
    for (let pc = 0; pc < GRID; pc++) {
      orient.fill(0);
      let energy = 0;
      for (let y = pr * patch, y1 = y + patch; y < y1; y++) {
        let k = (y + 1) * w + 1 + pc * patch;
        for (let x = 0; x < patch; x++, k++) {
          const gx = luma[k + 1]! - luma[k - 1]!;
          const gy = luma[k + w]! - luma[k - w]!;
          const mag = Math.sqrt(gx * gx + gy * gy);
          if (mag > 0) {
            orient[fastOrientationBin(gx, gy)]! += mag;
            energy += mag;
          }
        }
      }
      const p = pr * GRID + pc;
      const o = p * PATCH_DIMS;
      for (let c = 0; c < 3; c++) {
        const mean = colour[p * 6 + c]! / perPatch;
        const variance = Math.max(0, colour[p * 6 + 3 + c]! / perPatch - mean * mean);
        patches[o + c] = mean / 255;
        patches[o + 3 + c] = Math.sqrt(variance) / 128;
      }
      for (let k = 0; k < ORIENT_BINS; k++) patches[o + 6 + k] = energy > 0 ? orient[k]! / energy : 0;
      // Edge energy per pixel, squashed to [0, 1): flat sky and busy foliage differ here.
      const perPixel = energy / perPatch / 255;
      patches[o + 14] = perPixel / (perPixel + 0.05);
      patches[o + 15] = 0;
    }
  }
}

/** The global descriptor: patches pooled over the image and its quadrants, plus the histogram. */
function poolGlobal(patches: Float32Array, hist: Int32Array, pixels: number): Float32Array {
  const nPatches = GRID * GRID;
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
  return global;
}
