// The mixing recipe: which pairs go into which batch (a seeded shuffle of the subset),
// the square side of each batch, and per mixed sample both pairs with their windows in
// patches and in pixels of the original images. Pure: the job (export-job.ts) feeds it
// pairs and saliency maps and streams the batches to disk.
import { createRng, shuffleInPlace } from '../compute/prng';
import type { ImageRef } from '../dataset/types';
import { windowToOriginalPixels, type PixelBox } from './geometry';
import { drawSquareSize, MIX_GRID, planBatch } from './mixing';
import type { PatchWindow } from './windows';

export const RECIPE_FORMAT = 'tldr-studio-timix-recipe';
export const RECIPE_VERSION = 1;

export interface RecipePair {
  seq: number;
  key: string;
  /** Where the image is, relative to the dataset's base folder (see the manifest). */
  image: ImageRef;
  caption: string;
  /** Size of the original image in pixels. */
  width: number;
  height: number;
}

export interface RecipeSide extends RecipePair {
  /** The window on the grid × grid patch grid of the image's centred square. */
  window: PatchWindow;
  /** The same window in pixels of the original image. */
  box: PixelBox;
  /** Summed z-scored saliency inside the window. */
  saliency: number;
}

export interface RecipeSample {
  /** Key of the mixed sample: its webdataset key when materialised. */
  key: string;
  batch: number;
  /** Position in the batch (= the target's position). */
  index: number;
  s: number;
  lambda: number;
  /** Soft-label weights of [target caption, source caption]: [λ, 1 − λ]. */
  weights: [number, number];
  /** The middle of an odd batch, mixed with itself (see MixPlan.selfMix). */
  selfMix: boolean;
  /** Pasted over (its least salient window is replaced). */
  target: RecipeSide;
  /** Pasted from (its most salient window). */
  source: RecipeSide;
}

export interface RecipeBatch {
  index: number;
  s: number;
  lambda: number;
  samples: RecipeSample[];
}

/** The subset in a seeded random order (xoshiro128** + Fisher–Yates, compute/prng.ts). */
export function shuffledOrder(seqs: ArrayLike<number>, seed: number): Int32Array {
  return shuffleInPlace(Int32Array.from(seqs), createRng(seed));
}

/** Consecutive slices of `order` of batchSize each (the last may be shorter). */
export function* batchesOf(order: Int32Array, batchSize: number): Generator<Int32Array> {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batch size must be ≥ 1, got ${batchSize}`);
  for (let i = 0; i < order.length; i += batchSize) yield order.subarray(i, i + batchSize);
}

/**
 * The per-batch square sides, from their own stream of the seed, so the side of batch b
 * does not depend on which pairs were dropped from earlier batches.
 */
export function squareSizeDrawer(seed: number, sizes: readonly number[]): () => number {
  const rng = createRng((seed ^ 0x6a09e667) >>> 0);
  return () => drawSquareSize(rng, sizes);
}

/** Key of the n-th mixed sample. */
export function sampleKey(n: number): string {
  return String(n).padStart(9, '0');
}

function side(
  p: RecipePair,
  w: { row: number; col: number; size: number; sum: number },
  grid: number,
): RecipeSide {
  const window = { row: w.row, col: w.col, size: w.size };
  return {
    ...p,
    window,
    box: windowToOriginalPixels(window, p.width, p.height, grid),
    saliency: w.sum,
  };
}

/**
 * One batch of the recipe: `pairs` in batch order with their saliency maps (grid² each),
 * mixed with side `s`. `firstSample` numbers the samples' keys across the recipe.
 */
export function buildRecipeBatch(
  index: number,
  firstSample: number,
  pairs: readonly RecipePair[],
  maps: readonly ArrayLike<number>[],
  s: number,
  grid = MIX_GRID,
): RecipeBatch {
  if (pairs.length !== maps.length) throw new RangeError(`${pairs.length} pairs but ${maps.length} maps`);
  const plans = planBatch(maps, s, grid);
  const lambda = plans[0]?.lambda ?? (grid * grid - s * s) / (grid * grid);
  return {
    index,
    s,
    lambda,
    samples: plans.map((m, i) => ({
      key: sampleKey(firstSample + i),
      batch: index,
      index: i,
      s,
      lambda: m.lambda,
      weights: [m.lambda, 1 - m.lambda],
      selfMix: m.selfMix,
      target: side(pairs[m.target]!, m.targetWindow, grid),
      source: side(pairs[m.source]!, m.sourceWindow, grid),
    })),
  };
}
