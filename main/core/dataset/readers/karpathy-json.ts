// Karpathy splits (dataset_coco.json, dataset_flickr8k.json, dataset_flickr30k.json):
// images[] {filepath?, filename, split, sentences[].raw}. The split is kept per pair.
import { pairError } from '../errors';
import { textCaption, type PendingPair } from '../file-pairs';
import {
  badItemPair,
  brokenFilePair,
  createJsonReader,
  field,
  isObject,
  topLevelFiles,
  type JsonFileContext,
} from '../json-dataset';
import type { JsonEvent } from '../json-stream';
import type { Options } from '../reader-options';
import type { FormatReader } from '../types';

export const KARPATHY_FILE = /^dataset_[A-Za-z0-9_-]+\.json$/;

async function* karpathyPairs(
  events: AsyncIterable<JsonEvent>,
  ctx: JsonFileContext,
): AsyncGenerator<PendingPair> {
  for await (const ev of events) {
    if (ev.type === 'fatal') {
      yield brokenFilePair(ev, ctx);
      return;
    }
    if (ev.type === 'bad') {
      yield badItemPair(ev, ctx);
      continue;
    }
    if (ev.type !== 'item' || ev.key !== 'images') continue;
    const o = ev.value;
    const filename = isObject(o) ? field(o, 'filename') : undefined;
    if (!isObject(o) || filename === undefined) {
      yield badItemPair(
        {
          type: 'bad',
          key: 'images',
          index: ev.index,
          line: ev.line,
          message: `line ${ev.line}: image entry without filename`,
        },
        ctx,
      );
      continue;
    }
    const filepath = field(o, 'filepath');
    const image = filepath ? `${filepath}/${filename}` : filename;
    const split = field(o, 'split');
    const sentences = Array.isArray(o.sentences) ? o.sentences : [];
    if (sentences.length === 0) {
      yield {
        key: `${image}#0`,
        imageKey: image,
        image,
        split,
        caption: {
          caption: null,
          error: pairError('missing_caption', `${ctx.fileRel}, line ${ev.line}: ${image} has no sentences`),
        },
        unit: ctx.unit,
      };
      continue;
    }
    for (let n = 0; n < sentences.length; n++) {
      const s: unknown = sentences[n];
      const raw = isObject(s) ? s.raw : undefined;
      yield {
        key: `${image}#${n}`,
        imageKey: image,
        image,
        split,
        caption: textCaption(raw, `${ctx.fileRel}: ${image}#${n}`, ev.nonUtf8),
        unit: ctx.unit,
      };
    }
  }
}

export function createKarpathyReader(options?: Options): FormatReader {
  return createJsonReader(
    {
      format: 'karpathy',
      defaultFiles: (base) => topLevelFiles(base, (n) => KARPATHY_FILE.test(n), 1),
      pairs: karpathyPairs,
      imageDirHints: () => [
        'images',
        'Images',
        'Flicker8k_Dataset',
        'Flickr8k_Dataset',
        'flickr30k-images',
        'flickr30k_images',
      ],
    },
    options,
  );
}
