// The builtin encoder: sharp decodes and cover-crops to 224 px (shrink-on-load, in
// libuv's thread pool, several at once), then the descriptors run in JS.
import { decodeImage } from '../../image/decode';
import { ImageError } from '../../image/errors';
import type { EncodedImage, FeatureEncoder } from '../encoder';
import { describeImage, GLOBAL_DIMS, GRID, INPUT_SIZE, PATCH_DIMS } from './descriptors';
import { colourLayout, LAYOUT_DIMS } from './layout';
import { DocumentFrequencies, embedText, TEXT_DIMS } from './text';

/** Decodes in flight at once: enough to keep both cores busy while JS computes descriptors. */
const DECODE_CONCURRENCY = 4;

export function createBuiltinEncoder(): FeatureEncoder {
  let df = new DocumentFrequencies();
  return {
    id: 'builtin',
    imageDims: GLOBAL_DIMS,
    textDims: TEXT_DIMS,
    patchCount: GRID * GRID,
    patchDims: PATCH_DIMS,
    layoutDims: LAYOUT_DIMS,
    jointSpace: false,
    prepareTexts(captions) {
      df = new DocumentFrequencies();
      for (const c of captions) df.add(c);
    },
    async encodeImages(images, signal) {
      const out = new Array<EncodedImage | ImageError>(images.length);
      let next = 0;
      const worker = async () => {
        while (next < images.length) {
          if (signal?.aborted) return;
          const i = next++;
          try {
            const img = await decodeImage(images[i]!, {
              fit: { width: INPUT_SIZE, height: INPUT_SIZE, mode: 'cover' },
            });
            const d = describeImage(img.data);
            out[i] = { ...d, layout: colourLayout(d.patches) };
          } catch (e) {
            out[i] = e instanceof ImageError ? e : new ImageError('corrupt_image', String(e));
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(DECODE_CONCURRENCY, images.length) }, worker));
      return out;
    },
    async embedTexts(texts) {
      return texts.map((t) => embedText(t, df));
    },
  };
}
