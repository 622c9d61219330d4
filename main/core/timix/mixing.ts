// The TiMix mixing rule (METHODS.md): one square side s per batch, target i paired with
// source B − 1 − i, the source's most salient s × s window pasted over the target's least
// salient one, soft label λ·target + (1 − λ)·source with λ the target's untouched area.
import type { Rng } from '../compute/prng';
import { GRID } from '../features/builtin/descriptors';
import { extremeWindows, type ScoredWindow } from './windows';

/** Patches per side of the mixing grid. */
export const MIX_GRID = GRID;
/** The authors' range of the square's side as a fraction of the grid: {5 … 12} patches. */
export const DEFAULT_RATIO_RANGE: readonly [number, number] = [0.35, 0.75];

/** The square sides a batch may draw: ⌊grid·min⌋ … ⌊grid·max⌋, at least 1. */
export function squareSizes(
  range: readonly [number, number] = DEFAULT_RATIO_RANGE,
  grid = MIX_GRID,
): number[] {
  const [min, max] = range;
  if (!(min > 0 && min <= max && max <= 1))
    throw new RangeError(`ratio range must satisfy 0 < min ≤ max ≤ 1, got [${min}, ${max}]`);
  const lo = Math.max(1, Math.floor(grid * min));
  const hi = Math.max(lo, Math.floor(grid * max));
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

/** One side, uniform over `sizes`. */
export function drawSquareSize(rng: Rng, sizes: readonly number[]): number {
  if (sizes.length === 0) throw new RangeError('no square sizes to draw from');
  return sizes[rng.int(sizes.length)]!;
}

/** The source of target i in a batch of b: the batch reversed, as the authors flip it. */
export function partnerOf(i: number, b: number): number {
  return b - 1 - i;
}

/** λ = (G² − s²) / G²: the share of the target left untouched. */
export function mixLambda(s: number, grid = MIX_GRID): number {
  return (grid * grid - s * s) / (grid * grid);
}

export interface MixPlan {
  /** Batch positions of the image pasted over (target) and the image pasted from (source). */
  target: number;
  source: number;
  size: number;
  lambda: number;
  /** The target's least salient window (replaced) and the source's most salient one (pasted). */
  targetWindow: ScoredWindow;
  sourceWindow: ScoredWindow;
  /**
   * True for the middle of an odd batch, which the reversal pairs with itself: its own
   * most salient window is pasted over its own least salient one, and its soft label
   * (λ·own + (1 − λ)·own) is its own caption, so the mix never teaches a wrong pairing.
   * We keep it rather than skip it because that is what reversing the batch does.
   */
  selfMix: boolean;
}

/** Plans the B mixed samples of a batch from the B saliency maps (grid × grid each). */
export function planBatch(maps: readonly ArrayLike<number>[], size: number, grid = MIX_GRID): MixPlan[] {
  const b = maps.length;
  // Each image is a target once and a source once: both windows per image, once.
  const windows = maps.map((m) => extremeWindows(m, grid, size));
  const lambda = mixLambda(size, grid);
  return windows.map((w, i) => {
    const j = partnerOf(i, b);
    return {
      target: i,
      source: j,
      size,
      lambda,
      targetWindow: w.lowest,
      sourceWindow: windows[j]!.highest,
      selfMix: i === j,
    };
  });
}
