// Captions arrive as bytes (txt members, csv cells) or strings (json). Bad UTF-8 is kept
// as a lossy decode and flagged rather than dropped: the text is usually still useful.
import { pairError, type PairError } from './errors';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const lossy = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

export interface CaptionResult {
  caption: string | null;
  error?: PairError | undefined;
}

/** Decodes caption bytes; `where` names the source in messages. */
export function captionFromBytes(bytes: Uint8Array, where: string): CaptionResult {
  let text: string;
  try {
    text = strict.decode(bytes);
  } catch {
    const caption = lossy.decode(bytes).trim();
    return {
      caption,
      error: pairError(
        'non_utf8_caption',
        `${where}: caption is not valid UTF-8 (kept with replacement characters)`,
      ),
    };
  }
  return captionFromText(text, where);
}

/**
 * Checks a decoded caption. `undefined`/`null` means there is none; `nonUtf8` marks text
 * that was decoded lossily upstream (a json file that was not valid UTF-8).
 */
export function captionFromText(text: unknown, where: string, nonUtf8 = false): CaptionResult {
  if (text === undefined || text === null) {
    return { caption: null, error: pairError('missing_caption', `${where}: no caption`) };
  }
  if (typeof text !== 'string') {
    return {
      caption: null,
      error: pairError('malformed_record', `${where}: caption is a ${typeof text}, not text`),
    };
  }
  const caption = text.trim();
  if (caption === '') return { caption, error: pairError('empty_caption', `${where}: caption is empty`) };
  if (nonUtf8 && caption.includes('\uFFFD')) {
    return {
      caption,
      error: pairError(
        'non_utf8_caption',
        `${where}: caption is not valid UTF-8 (kept with replacement characters)`,
      ),
    };
  }
  return { caption };
}
