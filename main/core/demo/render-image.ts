// Encoded files of the demo: scenes rendered from SVG by sharp, near-duplicate copies
// derived from the original's JPEG, and deliberately broken files.
import sharp from 'sharp';
import type { Corruption, NearDuplicateVariant } from './manifest';
import { intBetween, rngFor, uniform } from './prng';
import type { Scene } from './scene';
import { sceneToSvg } from './render-svg';

export const DEMO_JPEG_QUALITY = 90;

export async function renderSceneJpeg(scene: Scene): Promise<Buffer> {
  return sharp(Buffer.from(sceneToSvg(scene)))
    .jpeg({ quality: DEMO_JPEG_QUALITY })
    .toBuffer();
}

export async function nearDuplicateJpeg(original: Buffer, v: NearDuplicateVariant): Promise<Buffer> {
  const img = sharp(original);
  if (v.kind === 'resize') img.resize(v.width, v.height, { fit: 'fill' });
  if (v.kind === 'crop') img.extract({ left: v.left, top: v.top, width: v.width, height: v.height });
  return img.jpeg({ quality: v.quality }).toBuffer();
}

/** A file that must not decode; `salt` seeds its bytes. */
export function corruptFile(original: Buffer, kind: Corruption, seed: number, salt: number): Buffer {
  const rng = rngFor(seed, 'corrupt', salt);
  switch (kind) {
    case 'empty':
      return Buffer.alloc(0);
    case 'truncated':
      // Header and some scan data survive: the size is readable, the pixels are not.
      return Buffer.from(original.subarray(0, Math.floor(original.length * uniform(rng, 0.3, 0.7))));
    case 'random': {
      const out = Buffer.alloc(intBetween(rng, 2000, 9000));
      for (let i = 0; i < out.length; i++) out[i] = Math.floor(rng() * 256);
      return out;
    }
  }
}
