// COCO captions: `annotations/captions_<split>.json` with images[] {id, file_name} and
// annotations[] {image_id, caption}, images in `<split>/` beside annotations/. Captions
// are grouped by image (about five each): key `<image path>#<n>`.
import path from 'node:path';
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
import { pairError } from '../errors';
import type { Options } from '../reader-options';
import type { FormatReader } from '../types';

export const COCO_CAPTIONS_FILE = /^captions_[A-Za-z0-9_-]+\.json$/;

interface CocoImage {
  fileName: string;
  url?: string | undefined;
}

async function* cocoPairs(
  events: AsyncIterable<JsonEvent>,
  ctx: JsonFileContext,
): AsyncGenerator<PendingPair> {
  const images = new Map<string, CocoImage>();
  const order: string[] = [];
  const captions = new Map<string, { text: unknown; nonUtf8: boolean }[]>();
  const problems: PendingPair[] = [];
  for await (const ev of events) {
    if (ev.type === 'fatal') {
      problems.push(brokenFilePair(ev, ctx));
      break;
    }
    if (ev.type === 'bad') {
      problems.push(badItemPair(ev, ctx));
      continue;
    }
    if (ev.type !== 'item' || !isObject(ev.value)) continue;
    const o = ev.value;
    if (ev.key === 'images') {
      const id = field(o, 'id');
      const fileName = field(o, 'file_name');
      if (id === undefined || fileName === undefined) {
        problems.push({
          ...badItemPair(
            {
              type: 'bad',
              key: 'images',
              index: ev.index,
              line: ev.line,
              message: `line ${ev.line}: image entry without id or file_name`,
            },
            ctx,
          ),
        });
        continue;
      }
      if (!images.has(id)) order.push(id);
      images.set(id, { fileName, url: field(o, 'coco_url') ?? field(o, 'flickr_url') });
    } else if (ev.key === 'annotations') {
      const imageId = field(o, 'image_id');
      if (imageId === undefined) {
        problems.push(
          badItemPair(
            {
              type: 'bad',
              key: 'annotations',
              index: ev.index,
              line: ev.line,
              message: `line ${ev.line}: annotation without image_id`,
            },
            ctx,
          ),
        );
        continue;
      }
      let list = captions.get(imageId);
      if (!list) captions.set(imageId, (list = []));
      list.push({ text: o.caption, nonUtf8: ev.nonUtf8 });
    }
  }
  for (const id of order) {
    const img = images.get(id)!;
    const list = captions.get(id) ?? [];
    captions.delete(id);
    if (list.length === 0) {
      yield {
        key: `${img.fileName}#0`,
        imageKey: img.fileName,
        image: img.fileName,
        caption: {
          caption: null,
          error: pairError('missing_caption', `${ctx.fileRel}: image ${img.fileName} has no caption`),
        },
        unit: ctx.unit,
      };
      continue;
    }
    for (let n = 0; n < list.length; n++) {
      yield {
        key: `${img.fileName}#${n}`,
        imageKey: img.fileName,
        image: img.fileName,
        caption: textCaption(list[n]!.text, `${ctx.fileRel}: ${img.fileName}#${n}`, list[n]!.nonUtf8),
        unit: ctx.unit,
      };
    }
  }
  // Captions of images that the file does not list.
  for (const [imageId, list] of captions) {
    for (let n = 0; n < list.length; n++) {
      yield {
        key: `image_id:${imageId}#${n}`,
        imageKey: `image_id:${imageId}`,
        caption: textCaption(list[n]!.text, `${ctx.fileRel}: image_id ${imageId}`, list[n]!.nonUtf8),
        error: pairError(
          'missing_image',
          `${ctx.fileRel}: caption for image_id ${imageId}, which is not in images[]`,
        ),
        unit: ctx.unit,
      };
    }
  }
  yield* problems;
}

export function createCocoReader(options?: Options): FormatReader {
  return createJsonReader(
    {
      format: 'coco',
      defaultFiles: (base) => topLevelFiles(base, (n) => COCO_CAPTIONS_FILE.test(n), 2),
      pairs: cocoPairs,
      imageDirHints: (fileRel) => {
        const split = /captions_(.+)\.json$/.exec(path.posix.basename(fileRel))?.[1];
        const dir = path.posix.dirname(path.posix.dirname(fileRel));
        const up = dir === '.' ? '' : `${dir}/`;
        return split
          ? [`${up}${split}`, `${up}images/${split}`, `${up}${split}/${split}`, `${up}images`]
          : [];
      },
    },
    options,
  );
}
