// Width and height from the first bytes of an image, never a full decode: image-size
// parses headers only; sharp (libvips, also header-only for metadata) is the fallback for
// layouts image-size does not know. The pixel guard runs on the declared size.
import { imageSize } from 'image-size';
import { pairError, type PairError } from './errors';

export interface ImageSize {
  width: number;
  height: number;
  type?: string | undefined;
}

/** Header bytes read first; most JPEG/PNG/WebP headers fit, EXIF-heavy JPEGs may need more. */
export const HEADER_PROBE_BYTES = 64 * 1024;
/** Second, larger attempt before giving up on image-size. */
export const HEADER_PROBE_MAX_BYTES = 1024 * 1024;

const IMAGE_EXTENSIONS = new Set([
  'jpg',
  'jpeg',
  'png',
  'webp',
  'gif',
  'bmp',
  'tif',
  'tiff',
  'avif',
  'heic',
  'jxl',
]);

/** True for file names whose extension is an image format we index. */
export function isImageName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot >= 0 && IMAGE_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

/** image-size on a prefix of the file; undefined when the prefix is not enough or not an image. */
export function sizeFromHeader(bytes: Uint8Array): ImageSize | undefined {
  try {
    const s = imageSize(bytes);
    if (s.width && s.height) return { width: s.width, height: s.height, type: s.type };
  } catch {
    // Unknown type or header beyond the prefix: the caller reads more or falls back.
  }
  return undefined;
}

/** sharp's metadata (header only) for inputs image-size cannot read. */
export async function sizeFromSharp(input: Buffer | string): Promise<ImageSize | undefined> {
  try {
    const { default: sharp } = await import('sharp');
    const m = await sharp(input, { limitInputPixels: false, failOn: 'none' }).metadata();
    if (m.width && m.height) return { width: m.width, height: m.height, type: m.format };
  } catch {
    // Not an image sharp knows either.
  }
  return undefined;
}

/** image_too_large when the declared size exceeds `maxPixels`. */
export function pixelLimitError(size: ImageSize, maxPixels: number, where: string): PairError | undefined {
  const pixels = size.width * size.height;
  if (pixels <= maxPixels) return undefined;
  return pairError(
    'image_too_large',
    `${where}: ${size.width} × ${size.height} = ${pixels.toLocaleString('en')} pixels exceeds the limit of ${maxPixels.toLocaleString('en')}`,
  );
}

/**
 * Size of an image whose bytes are read through `readPrefix(n)` (a file or a tar member of
 * `total` bytes): a small prefix first, a larger one, then sharp on the whole thing when
 * it is small enough to hold.
 */
export async function sizeOfImageBytes(
  total: number,
  readPrefix: (n: number) => Promise<Buffer>,
  sharpInput?: () => Promise<Buffer | string>,
): Promise<ImageSize | undefined> {
  const first = await readPrefix(Math.min(total, HEADER_PROBE_BYTES));
  const a = sizeFromHeader(first);
  if (a) return a;
  if (total > first.length) {
    const more = await readPrefix(Math.min(total, HEADER_PROBE_MAX_BYTES));
    const b = sizeFromHeader(more);
    if (b) return b;
  }
  if (first.length === 0) return undefined;
  if (sharpInput) return sizeFromSharp(await sharpInput());
  return total <= HEADER_PROBE_MAX_BYTES ? sizeFromSharp(await readPrefix(total)) : undefined;
}
