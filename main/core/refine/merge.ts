// The refined training caption and what BLIP's loader will do to it.
//
// TL;DR's refinement keeps the original caption and appends the generated one:
// `original + "; " + generated`. BLIP's pre-training loader then runs `pre_caption(caption,
// 30)`: lower-case, the characters . ! " ( ) * # : ; ~ become spaces, runs of two or more
// whitespace characters become one space, the ends are stripped, and only the first 30
// space-separated words are kept. A long original therefore pushes the generated part
// (or some of it) out of what the model ever sees; we count how many of its words.

/** BLIP's pre-training max_words. */
export const BLIP_MAX_WORDS = 30;

export const MERGE_SEPARATOR = '; ';

export function mergeCaption(original: string, generated: string): string {
  return original + MERGE_SEPARATOR + generated;
}

/** BLIP's `pre_caption` text normalisation, without the truncation. */
export function blipNormalise(caption: string): string {
  return caption
    .toLowerCase()
    .replace(/[.!"()*#:;~]/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .replace(/\n+$/, '')
    .replace(/^ +| +$/g, '');
}

/** The words BLIP's loader splits a caption into (before its truncation). */
export function blipWords(caption: string): string[] {
  const s = blipNormalise(caption);
  // Python's ''.split(' ') is [''] (one empty word); an empty caption has no words for us.
  return s === '' ? [] : s.split(' ');
}

/** BLIP's `pre_caption(caption, maxWords)`. */
export function blipPreCaption(caption: string, maxWords = BLIP_MAX_WORDS): string {
  const s = blipNormalise(caption);
  const w = s.split(' ');
  return w.length > maxWords ? w.slice(0, maxWords).join(' ') : s;
}

export interface MergedCaption {
  merged: string;
  /** Words of the generated part (as BLIP splits them). */
  generatedWords: number;
  /** Of those, how many BLIP's 30-word cut drops. */
  truncated: number;
}

/** Merges and counts the generated words BLIP would drop. */
export function mergeAndCount(original: string, generated: string, maxWords = BLIP_MAX_WORDS): MergedCaption {
  const merged = mergeCaption(original, generated);
  const generatedWords = blipWords(generated).length;
  const total = blipWords(merged).length;
  const truncated = Math.min(generatedWords, Math.max(0, total - maxWords));
  return { merged, generatedWords, truncated };
}
