// Patch windows ↔ pixels. Saliency lives on the 16 × 16 grid of the image as the models
// see it: scaled so its shorter side fits and centre-cropped to a square (sharp's
// 'cover' + 'centre', CLIP's resize + centre crop). A window maps back to the original
// through that square.
import type { PatchWindow } from './windows';

export interface PixelBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The centred square of a width × height image that a cover crop keeps (fractional). */
export function coverSquare(width: number, height: number): { left: number; top: number; side: number } {
  if (!(width > 0 && height > 0))
    throw new RangeError(`image size must be positive, got ${width} × ${height}`);
  const side = Math.min(width, height);
  return { left: (width - side) / 2, top: (height - side) / 2, side };
}

/**
 * The window in pixels of the original width × height image (as displayed), rounded to
 * whole pixels; edges are rounded separately so adjacent windows tile without gaps.
 */
export function windowToOriginalPixels(
  w: PatchWindow,
  width: number,
  height: number,
  grid: number,
): PixelBox {
  const sq = coverSquare(width, height);
  const step = sq.side / grid;
  const left = Math.round(sq.left + w.col * step);
  const top = Math.round(sq.top + w.row * step);
  const right = Math.round(sq.left + (w.col + w.size) * step);
  const bottom = Math.round(sq.top + (w.row + w.size) * step);
  return { left, top, width: right - left, height: bottom - top };
}

/** The window in pixels of the size × size training image (size a multiple of grid). */
export function windowToTrainingPixels(w: PatchWindow, size: number, grid: number): PixelBox {
  const p = size / grid;
  if (!Number.isInteger(p)) throw new RangeError(`training size ${size} is not a multiple of ${grid}`);
  return { left: w.col * p, top: w.row * p, width: w.size * p, height: w.size * p };
}
