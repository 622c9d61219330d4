// Turns caption entries that name an image file (json/csv/txt sources) into PairRecords:
// image headers are read a few at a time, once per image even when it has five captions.
import { captionFromText, type CaptionResult } from './caption';
import { mapOrdered } from './concurrent';
import { pairError, worstError, type PairError } from './errors';
import { ImageFactsCache, type ImageFacts } from './image-file';
import type { PairRecord, ReadItem } from './types';

export interface PendingPair {
  key: string;
  imageKey: string;
  /** Image path relative to the base folder; undefined when the entry names none. */
  image?: string | undefined;
  /** A URL instead of a file (CC3M/CC12M before download): no header is read. */
  url?: string | undefined;
  caption: CaptionResult;
  split?: string | undefined;
  uid?: string | undefined;
  /** A problem found while parsing the entry (malformed_record, ...). */
  error?: PairError | undefined;
  unit: number;
}

/** A record for an entry that could not be parsed at all. */
export function malformedPair(key: string, message: string, unit: number): PendingPair {
  return {
    key,
    imageKey: key,
    caption: { caption: null },
    error: pairError('malformed_record', message),
    unit,
  };
}

/** Shorthand for a caption that is plain text. */
export function textCaption(text: unknown, where: string, nonUtf8 = false): CaptionResult {
  return captionFromText(text, where, nonUtf8);
}

/** Resolves each pending pair's image (header read, confined to `base`) into a ReadItem. */
export async function* resolvePairs(
  base: string,
  pending: AsyncIterable<PendingPair> | Iterable<PendingPair>,
  maxPixels: number,
  concurrency: number,
): AsyncGenerator<ReadItem> {
  const cache = new ImageFactsCache(base, maxPixels);
  yield* mapOrdered(pending, concurrency, async (p): Promise<ReadItem> => {
    let facts: ImageFacts;
    if (p.image !== undefined && p.image.trim() !== '') facts = await cache.get(p.image);
    else if (p.url) facts = { image: { kind: 'url', url: p.url } };
    else
      facts = {
        image: { kind: 'none' },
        error: p.error ? undefined : pairError('missing_image', `${p.key}: the entry names no image`),
      };
    const record: PairRecord = {
      key: p.key,
      imageKey: p.imageKey,
      image: facts.image,
      caption: p.caption.caption,
    };
    if (facts.width !== undefined) record.width = facts.width;
    if (facts.height !== undefined) record.height = facts.height;
    if (facts.bytes !== undefined) record.bytes = facts.bytes;
    if (facts.mtimeMs !== undefined) record.mtimeMs = facts.mtimeMs;
    if (p.url) record.url = p.url;
    if (p.split) record.split = p.split;
    if (p.uid) record.uid = p.uid;
    const error = worstError(facts.error, p.error, p.caption.error);
    if (error) record.error = error;
    return { record, unit: p.unit };
  });
}
