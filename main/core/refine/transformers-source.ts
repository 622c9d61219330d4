// A transformers.js captioner (ViT-GPT2, BLIP-style, Florence-2 …) as a caption source:
// each kept image is read from the dataset, decoded (orientation, colour space and alpha
// normalised as for every extractor), and captioned with the authors' settings: beam 3,
// at most 30 and at least 10 new tokens.
import { statSync } from 'node:fs';
import path from 'node:path';
import type { ProviderRegistry } from '../compute/providers';
import type { DatasetRow } from '../store/datasets';
import type { StoredPair } from '../store/pairs';
import { decodeImage } from '../image/decode';
import { readImageBytes } from '../image/read-bytes';
import type { Captioner } from '../models/captioner';
import { TLDR_CAPTION_OPTIONS } from '../models/captioner';
import type { PixelBuffer } from '../models/image-input';
import { openCaptioner, type ModelRef } from '../models/open-model';
import type { CaptionFailure, CaptionSource } from './caption-source';

export interface TransformersSourceOptions {
  /** Registry id, or a model folder. */
  model: string;
  dataset: DatasetRow;
  workspace: string;
  providers?: ProviderRegistry;
  /** Download a registry model that is not in the workspace yet. */
  download?: boolean;
}

/** A folder on disk is a folder; anything else is a registry id. */
export function captionerRef(model: string): ModelRef {
  try {
    if (statSync(model).isDirectory()) return { folder: path.resolve(model) };
  } catch {
    // not a path
  }
  return { id: model };
}

/** The name refined_captions stores: the registry id, or the folder's absolute path. */
export function captionerName(model: string): string {
  const ref = captionerRef(model);
  return 'folder' in ref ? ref.folder : ref.id;
}

async function pixels(dataset: DatasetRow, p: StoredPair): Promise<PixelBuffer | CaptionFailure> {
  if (p.status !== 'ok') return { error: p.error ?? 'not indexed' };
  if (p.image.kind === 'url' || p.image.kind === 'none') return { error: 'image not on disk' };
  try {
    const img = await decodeImage(await readImageBytes(dataset.root, p.image));
    return { data: img.data, width: img.width, height: img.height, channels: 3 };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

export async function openTransformersSource(o: TransformersSourceOptions): Promise<CaptionSource> {
  const captioner: Captioner = await openCaptioner(captionerRef(o.model), {
    workspace: o.workspace,
    ...(o.providers ? { providers: o.providers } : {}),
    ...(o.download !== undefined ? { download: o.download } : {}),
  });
  return {
    model: captionerName(o.model),
    async caption(pairs, signal) {
      // Decode each distinct image once.
      const byImage = new Map<string, number>();
      const images: Array<PixelBuffer | CaptionFailure> = [];
      for (const p of pairs) {
        if (byImage.has(p.imageKey)) continue;
        byImage.set(p.imageKey, images.length);
        images.push(await pixels(o.dataset, p));
      }
      const ok = images.filter((x): x is PixelBuffer => !('error' in x));
      const texts = ok.length
        ? await captioner.caption(ok, { ...TLDR_CAPTION_OPTIONS, ...(signal ? { signal } : {}) })
        : [];
      let j = 0;
      const perImage = images.map((x) => ('error' in x ? x : texts[j++]!));
      return pairs.map((p) => perImage[byImage.get(p.imageKey)!]!);
    },
    async dispose() {
      await captioner.dispose();
    },
  };
}
