// What the embed job needs from a model, whatever it is: builtin descriptors or a
// CLIP-family network. Image encoders return a global vector and per-patch vectors;
// the patch vectors are quantised against the dataset's codebook and not stored.
import type { ImageError } from '../image/errors';

export interface EncodedImage {
  /** imageDims values. */
  global: Float32Array;
  /** patchCount × patchDims values, row-major. */
  patches: Float32Array;
  /** layoutDims values: a coarse colour thumbnail for near-duplicate search (builtin only). */
  layout?: Float32Array;
}

export interface FeatureEncoder {
  /** Stable id stored with the feature set: 'builtin', a registry id, or 'folder:<name>'. */
  readonly id: string;
  readonly imageDims: number;
  readonly textDims: number;
  /** Patches per image (T) and dims per patch. */
  readonly patchCount: number;
  readonly patchDims: number;
  /** Dims of the stored colour layout (EncodedImage.layout); absent: none stored. */
  readonly layoutDims?: number;
  /** Whether image and text vectors live in one space (CLIP) or not (builtin). */
  readonly jointSpace: boolean;
  /** Called once with every caption before embedTexts (the builtin model learns its IDF). */
  prepareTexts?(captions: Iterable<string>): void;
  /** One result per input: the features, or the ImageError that stopped this image. */
  encodeImages(images: Buffer[], signal?: AbortSignal): Promise<(EncodedImage | ImageError)[]>;
  embedTexts(texts: string[]): Promise<Float32Array[]>;
  dispose?(): Promise<void>;
}
