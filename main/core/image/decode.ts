// Encoded bytes → 8-bit sRGB pixels, the one normalisation every feature extractor sees:
// EXIF orientation applied, CMYK/16-bit/grey converted, alpha flattened onto white,
// first frame only, and a pixel limit checked from the header before any decode.
import sharp, { type OutputInfo, type Sharp } from 'sharp';
import { ImageError } from './errors';
import { DEFAULT_MAX_PIXELS } from './limits';
import { probeImage, type ImageProbe } from './probe';

/**
 * Transparent pixels become white: how browsers and most viewers show a transparent
 * PNG, and independent of whatever colour the encoder left under alpha = 0.
 */
export const ALPHA_BACKGROUND = { r: 255, g: 255, b: 255 } as const;

export type FitMode = 'cover' | 'contain' | 'fill';

export interface DecodeOptions {
  /** Refuse images whose header declares more pixels (first frame). Default DEFAULT_MAX_PIXELS. */
  maxPixels?: number;
  /**
   * Output size. cover: scale to fill, centre-crop; contain: scale to fit, pad with
   * ALPHA_BACKGROUND; fill: stretch. Resizing happens in the decode pipeline, so JPEG
   * and WebP use shrink-on-load.
   */
  fit?: { width: number; height: number; mode: FitMode };
}

export interface DecodedImage {
  /** Interleaved RGB, 8 bits per channel, row-major: length = width × height × 3. */
  data: Uint8Array;
  width: number;
  height: number;
}

/** Maps a sharp failure to an ImageError. */
export function sharpImageError(e: unknown): ImageError {
  if (e instanceof ImageError) return e;
  const reason = e instanceof Error ? e.message : String(e);
  if (/pixel limit/i.test(reason)) {
    return new ImageError('image_too_large', `the image has more pixels than allowed: ${reason}`, {
      cause: e,
    });
  }
  return new ImageError('corrupt_image', `the image cannot be decoded: ${reason}`, { cause: e });
}

/**
 * Probes `buf`, refuses it when the header declares more than `maxPixels`, and returns a
 * sharp pipeline with orientation, colour space and alpha already normalised.
 */
export async function openImage(
  buf: Uint8Array,
  maxPixels = DEFAULT_MAX_PIXELS,
): Promise<{ pipeline: Sharp; probe: ImageProbe }> {
  const probe = await probeImage(buf);
  // Vector input renders at any cost whatever its declared size; datasets hold raster images.
  if (probe.format === 'svg')
    throw new ImageError('unreadable_image', 'SVG (vector) images are not supported');
  const pixels = probe.width * probe.height;
  if (pixels > maxPixels) {
    throw new ImageError(
      'image_too_large',
      `the image is ${probe.width} × ${probe.height} (${pixels} pixels), more than the ${maxPixels} allowed`,
    );
  }
  const pipeline = sharp(buf, {
    // Second line of defence in libvips itself, should the header lie.
    limitInputPixels: maxPixels,
    // 'error' rejects truncated and broken data but tolerates the benign warnings
    // common in web JPEGs (extraneous bytes, bad Huffman padding).
    failOn: 'error',
    pages: 1,
    page: 0,
    sequentialRead: true,
  })
    .autoOrient()
    .flatten({ background: ALPHA_BACKGROUND })
    .toColourspace('srgb');
  return { pipeline, probe };
}

/** Decodes `buf` to RGB8. Throws ImageError: corrupt_image, image_too_large. */
export async function decodeImage(buf: Uint8Array, opts: DecodeOptions = {}): Promise<DecodedImage> {
  const { pipeline } = await openImage(buf, opts.maxPixels);
  if (opts.fit) {
    const { width, height, mode } = opts.fit;
    if (!(width >= 1 && height >= 1))
      throw new RangeError(`fit size must be positive, got ${width} × ${height}`);
    pipeline.resize(Math.round(width), Math.round(height), {
      fit: mode,
      position: 'centre',
      background: ALPHA_BACKGROUND,
    });
  }
  let out: { data: Buffer; info: OutputInfo };
  try {
    out = await pipeline.removeAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw sharpImageError(e);
  }
  const { data, info } = out;
  if (info.channels !== 3 || data.length !== info.width * info.height * 3) {
    throw new ImageError(
      'corrupt_image',
      `unexpected decoder output: ${info.channels} channels, ${data.length} bytes`,
    );
  }
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  };
}
