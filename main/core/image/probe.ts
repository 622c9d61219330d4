// Header metadata without decoding pixels: format, size, orientation, colour space.
import sharp, { type Metadata } from 'sharp';
import { ImageError } from './errors';

export interface ImageProbe {
  /** sharp's format name: 'jpeg', 'png', 'webp', 'gif', 'tiff', 'heif' (also AVIF), 'svg', ... */
  format: string;
  /** Stored size of the first frame, before EXIF orientation. */
  width: number;
  height: number;
  /** Size as displayed, after EXIF orientation (width and height swapped for 5–8). */
  displayWidth: number;
  displayHeight: number;
  /** EXIF orientation 1–8 (1 when absent). */
  orientation: number;
  /** 'srgb', 'cmyk', 'b-w', 'rgb16', 'grey16', ... */
  space: string;
  channels: number;
  /** 'uchar' (8-bit), 'ushort' (16-bit), ... */
  depth: string;
  hasAlpha: boolean;
  /** Frames (animations, multi-page TIFF); 1 for still images. */
  pages: number;
  bytes: number;
}

/** Reads the header of `buf`. Throws ImageError 'corrupt_image' when it is not a readable image. */
export async function probeImage(buf: Uint8Array): Promise<ImageProbe> {
  if (buf.byteLength === 0) throw new ImageError('corrupt_image', 'the image file is empty (0 bytes)');
  let m: Metadata;
  try {
    // No pixel limit here: only the header is parsed; callers compare the size to their limit.
    m = await sharp(buf, { limitInputPixels: false }).metadata();
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new ImageError('corrupt_image', `not a readable image: ${reason}`, { cause: e });
  }
  const { width, height } = m;
  if (!width || !height) throw new ImageError('corrupt_image', `the ${m.format} header has no image size`);
  const orientation = m.orientation ?? 1;
  const swapped = orientation >= 5 && orientation <= 8;
  return {
    format: m.format,
    width,
    height,
    displayWidth: swapped ? height : width,
    displayHeight: swapped ? width : height,
    orientation,
    space: m.space,
    channels: m.channels,
    depth: m.depth,
    hasAlpha: m.hasAlpha,
    pages: m.pages ?? 1,
    bytes: buf.byteLength,
  };
}
