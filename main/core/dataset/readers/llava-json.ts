// LLaVA conversation lists: [{id, image, conversations: [{from, value}]}]. The caption is
// the first answer turn (from gpt/assistant, or role assistant); items without an image
// (text-only conversations) are kept as missing_image.
import { pairError } from '../errors';
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
import type { Options } from '../reader-options';
import type { FormatReader } from '../types';

const ANSWER_ROLES = new Set(['gpt', 'assistant']);

/** The first answer of a conversation, or undefined. */
export function firstAnswer(conversations: unknown): unknown {
  if (!Array.isArray(conversations)) return undefined;
  for (const turn of conversations) {
    if (!isObject(turn)) continue;
    const who = field(turn, 'from') ?? field(turn, 'role');
    if (who && ANSWER_ROLES.has(who.toLowerCase())) return turn.value ?? turn.content;
  }
  return undefined;
}

async function* llavaPairs(
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
    if (ev.type !== 'item') continue;
    const o = ev.value;
    if (!isObject(o)) {
      yield notObjectPair(ev, ctx);
      continue;
    }
    // Multi-image items (a list) are indexed by their first image.
    const rawImage = Array.isArray(o.image) ? o.image[0] : o.image;
    const image = typeof rawImage === 'string' && rawImage !== '' ? rawImage : undefined;
    const key = field(o, 'id') ?? `${ctx.fileRel}#${ev.index}`;
    const where = `${ctx.fileRel}, line ${ev.line} (id ${key})`;
    const answer = firstAnswer(o.conversations);
    yield {
      key,
      imageKey: image ?? key,
      image,
      caption:
        answer === undefined
          ? { caption: null, error: pairError('missing_caption', `${where}: no gpt/assistant turn`) }
          : textCaption(answer, where, ev.nonUtf8),
      error: image === undefined ? pairError('missing_image', `${where}: the item has no image`) : undefined,
      unit: ctx.unit,
    };
  }
}

export function createLlavaReader(options?: Options): FormatReader {
  return createJsonReader(
    {
      format: 'llava-json',
      defaultFiles: (base) => topLevelFiles(base, (n) => n.toLowerCase().endsWith('.json')),
      pairs: llavaPairs,
      imageDirHints: () => ['images', 'image'],
    },
    options,
  );
}
