// The mix itself on decoded pixels: the source's window copied over the target's.
import type { PixelBox } from './geometry';

/**
 * A copy of `target` (size × size, interleaved, `channels` per pixel) with `targetBox`
 * replaced by the pixels of `sourceBox` in `source`. Both boxes must have the same size
 * and lie inside the image.
 */
export function pasteWindow(
  target: Uint8Array,
  source: Uint8Array,
  size: number,
  targetBox: PixelBox,
  sourceBox: PixelBox,
  channels = 3,
): Uint8Array {
  const bytes = size * size * channels;
  if (target.length !== bytes || source.length !== bytes)
    throw new RangeError(`expected ${size}×${size}×${channels} images`);
  if (targetBox.width !== sourceBox.width || targetBox.height !== sourceBox.height)
    throw new RangeError('target and source windows differ in size');
  for (const b of [targetBox, sourceBox])
    if (b.left < 0 || b.top < 0 || b.left + b.width > size || b.top + b.height > size)
      throw new RangeError(`window ${JSON.stringify(b)} outside the ${size}×${size} image`);
  const out = Uint8Array.from(target);
  const rowBytes = targetBox.width * channels;
  for (let y = 0; y < targetBox.height; y++) {
    const from = ((sourceBox.top + y) * size + sourceBox.left) * channels;
    out.set(source.subarray(from, from + rowBytes), ((targetBox.top + y) * size + targetBox.left) * channels);
  }
  return out;
}
