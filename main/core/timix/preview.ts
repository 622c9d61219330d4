// What the TiMix view shows for a handful of pairs: both saliency maps, the chosen
// windows, λ and the mixed pixels. Pure; preview-loader.ts decodes and encodes.
import { createRng } from '../compute/prng';
import { windowToTrainingPixels, type PixelBox } from './geometry';
import { DEFAULT_RATIO_RANGE, drawSquareSize, MIX_GRID, planBatch, squareSizes } from './mixing';
import { pasteWindow } from './paste';
import type { PatchWindow } from './windows';

export interface PreviewImage {
  /** size × size RGB8, the cover-cropped training view. */
  rgb: Uint8Array;
  /** MIX_GRID² z-scored saliency. */
  saliency: ArrayLike<number>;
}

export interface PreviewSample {
  target: number;
  source: number;
  targetWindow: PatchWindow & { sum: number };
  sourceWindow: PatchWindow & { sum: number };
  /** The windows in pixels of the size × size view. */
  targetBox: PixelBox;
  sourceBox: PixelBox;
  lambda: number;
  weights: [number, number];
  selfMix: boolean;
  /** size × size RGB8. */
  mixed: Uint8Array;
}

export interface PreviewPlan {
  s: number;
  lambda: number;
  samples: PreviewSample[];
}

/** The square side a preview seed gives (a new seed re-rolls it). */
export function previewSquareSize(
  seed: number,
  range: readonly [number, number] = DEFAULT_RATIO_RANGE,
): number {
  return drawSquareSize(createRng(seed), squareSizes(range));
}

/** Mixes `images` as one batch with side `s`. */
export function previewMixes(images: readonly PreviewImage[], size: number, s: number): PreviewPlan {
  const plans = planBatch(
    images.map((im) => im.saliency),
    s,
    MIX_GRID,
  );
  const samples = plans.map((m): PreviewSample => {
    const targetBox = windowToTrainingPixels(m.targetWindow, size, MIX_GRID);
    const sourceBox = windowToTrainingPixels(m.sourceWindow, size, MIX_GRID);
    return {
      target: m.target,
      source: m.source,
      targetWindow: m.targetWindow,
      sourceWindow: m.sourceWindow,
      targetBox,
      sourceBox,
      lambda: m.lambda,
      weights: [m.lambda, 1 - m.lambda],
      selfMix: m.selfMix,
      mixed: pasteWindow(images[m.target]!.rgb, images[m.source]!.rgb, size, targetBox, sourceBox),
    };
  });
  return { s, lambda: samples[0]?.lambda ?? (MIX_GRID ** 2 - s * s) / MIX_GRID ** 2, samples };
}
