// describeImage is optimised (no atan2, int32 sums, two passes); its values must stay those
// of the straightforward version below, which near-duplicate search, the ridge alignment,
// TiMix's saliency and the builtin captioner are calibrated on: bit for bit, on real photos
// and on synthetic pictures with flat areas and exact ties.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../main/core/compute/prng';
import {
  describeImage,
  GLOBAL_DIMS,
  GRID,
  INPUT_SIZE,
  PATCH_DIMS,
  type BuiltinImageFeatures,
} from '../../../main/core/features/builtin/descriptors';
import { decodeImage } from '../../../main/core/image/decode';
import { sharedData } from '../../helpers/tmp';

const ORIENT_BINS = 8;
const HIST_LEVELS = 4;
const HIST_BINS = HIST_LEVELS ** 3;
const POOL_REGIONS = 5;

/** The reference: one scan of the image, atan2 per pixel. */
function referenceDescribe(rgb: Uint8Array, size = INPUT_SIZE): BuiltinImageFeatures {
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

function expectIdentical(a: BuiltinImageFeatures, b: BuiltinImageFeatures, what: string): void {
  expect(a.global.length, what).toBe(GLOBAL_DIMS);
  expect(a.patches.length, what).toBe(GRID * GRID * PATCH_DIMS);
  const differ = (x: Float32Array, y: Float32Array) => x.findIndex((v, i) => !Object.is(v, y[i]));
  expect(differ(a.patches, b.patches), `${what}: first differing patch value`).toBe(-1);
  expect(differ(a.global, b.global), `${what}: first differing global value`).toBe(-1);
}

describe('describeImage', () => {
  it('equals the reference bit for bit on synthetic pictures: noise, flat areas, ramps, ties', () => {
    const rng = createRng(3);
    const n = INPUT_SIZE * INPUT_SIZE;
    const pictures: [string, (x: number, y: number, c: number) => number][] = [
      ['noise', () => Math.floor(rng.next() * 256)],
      ['flat', (_x, _y, c) => 40 * c + 7],
      ['grey ramp 45°', (x, y) => (x + y) & 0xff],
      ['grey ramp 135°', (x, y) => (x - y + 300) & 0xff],
      ['stripes', (x, _y, c) => (x % 7 < 3 ? 250 : 5) ^ c],
      ['blocks', (x, y, c) => (((x >> 4) * 31 + (y >> 4) * 17) * (c + 1)) & 0xff],
      ['sparse noise', (x, y) => (rng.next() < 0.05 ? Math.floor(rng.next() * 256) : (x * y) & 0xff)],
    ];
    for (const [name, f] of pictures) {
      const rgb = new Uint8Array(n * 3);
      for (let y = 0; y < INPUT_SIZE; y++)
        for (let x = 0; x < INPUT_SIZE; x++)
          for (let c = 0; c < 3; c++) rgb[(y * INPUT_SIZE + x) * 3 + c] = f(x, y, c);
      expectIdentical(describeImage(rgb), referenceDescribe(rgb), name);
    }
  });

  it('equals the reference at another grid-compatible size', () => {
    const rng = createRng(4);
    const rgb = Uint8Array.from({ length: 64 * 64 * 3 }, () => Math.floor(rng.next() * 256));
    expectIdentical(describeImage(rgb, 64), referenceDescribe(rgb, 64), '64 px');
  });

  const dir = path.join(sharedData, 'llava-pretrain-2k', 'images');
  it.skipIf(!existsSync(dir))('equals the reference bit for bit on real photos', async () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.jpg'))
      .sort()
      .filter((_, i) => i % 50 === 0);
    for (const f of files) {
      const img = await decodeImage(readFileSync(path.join(dir, f)), {
        fit: { width: INPUT_SIZE, height: INPUT_SIZE, mode: 'cover' },
      });
      expectIdentical(describeImage(img.data), referenceDescribe(img.data), f);
    }
  });
});
