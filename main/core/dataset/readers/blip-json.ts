// BLIP / ALBEF / LAVIS annotation lists: [{image, caption}] where caption may be a list
// (one pair per caption). Key `<image>#<n>`, n counting that image's captions in the file.
import { textCaption, type PendingPair } from '../file-pairs';
import {
  badItemPair,
  notObjectPair,
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

async function* blipPairs(
  events: AsyncIterable<JsonEvent>,
  ctx: JsonFileContext,
): AsyncGenerator<PendingPair> {
  // The same image may come back in later items (one item per caption); counts keep keys unique.
  const seen = new Map<string, number>();
  for await (const ev of events) {
    if (ev.type === 'fatal') {
      yield brokenFilePair(ev, ctx);
      return;
    }
    if (ev.type === 'bad') {
      yield badItemPair(ev, ctx);
      continue;
    }
    if (ev.type !== 'item') continue;
    const o = ev.value;
    if (!isObject(o)) {
      yield notObjectPair(ev, ctx);
      continue;
    }
    const image = field(o, 'image');
    const captions: unknown[] = Array.isArray(o.caption) ? o.caption : [o.caption];
    const imageKey = image ?? `${ctx.fileRel}#item${ev.index}`;
    if (captions.length === 0) captions.push(undefined);
    for (const c of captions) {
      const n = seen.get(imageKey) ?? 0;
      seen.set(imageKey, n + 1);
      const where = `${ctx.fileRel}, line ${ev.line}`;
      yield {
        key: `${imageKey}#${n}`,
        imageKey,
        image,
        uid: field(o, 'image_id'),
        caption: textCaption(c, where, ev.nonUtf8),
        error:
          image === undefined ? pairError('missing_image', `${where}: the item has no image`) : undefined,
        unit: ctx.unit,
      };
    }
  }
}

export function createBlipReader(options?: Options): FormatReader {
  return createJsonReader(
    {
      format: 'blip-json',
      defaultFiles: (base) => topLevelFiles(base, (n) => n.toLowerCase().endsWith('.json')),
      pairs: blipPairs,
      imageDirHints: () => ['images', 'image'],
    },
    options,
  );
}
