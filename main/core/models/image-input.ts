// Images for the encoders and captioners: a transformers.js RawImage, decoded pixels
// (e.g. from sharp's raw output), or a file path (decoded by transformers.js via sharp).
import type { RawImage } from '@huggingface/transformers';
import type { Transformers } from './transformers-env';

export interface PixelBuffer {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  /** 3 = RGB (default), 4 = RGBA, 1 = grey; interleaved, row-major. */
  channels?: 1 | 3 | 4;
}

export type ImageInput = RawImage | PixelBuffer | string;

export async function toRawImage(t: Transformers, image: ImageInput): Promise<RawImage> {
  if (image instanceof t.RawImage) return image;
  if (typeof image === 'string') return t.RawImage.read(image);
  const channels = image.channels ?? 3;
  if (image.data.length !== image.width * image.height * channels) {
    throw new Error(
      `pixel buffer has ${image.data.length} bytes for ${image.width}×${image.height}×${channels}`,
    );
  }
  const data =
    image.data instanceof Uint8ClampedArray
      ? image.data
      : new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return new t.RawImage(data, image.width, image.height, channels);
}

export function toRawImages(t: Transformers, images: readonly ImageInput[]): Promise<RawImage[]> {
  return Promise.all(images.map((im) => toRawImage(t, im)));
}
