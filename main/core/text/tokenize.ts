// WFPP's word splitter: CLIP's pre-tokenisation pattern without the BPE merges
// (METHODS.md, WFPP step 1). Punctuation runs count as words, digits are single words.
const WORD_PATTERN = /'s|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}|[^\s\p{L}\p{N}]+/gu;

/** Lower-cased words of a caption, in order. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(WORD_PATTERN) ?? [];
}

/** Adds the words of `text` to `counts` (a running dictionary). */
export function countWords(text: string, counts: Map<string, number>): void {
  for (const w of tokenize(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
}
