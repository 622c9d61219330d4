// WFPP's word splitter: CLIP's pre-tokenisation pattern without the BPE merges
// (METHODS.md, WFPP step 1). Punctuation runs count as words, digits are single words.
const WORD_PATTERN = /'s|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}|[^\s\p{L}\p{N}]+/gu;

/** Lower-cased words of a caption, in order. */
export function tokenize(text: string): string[] {
  const lower = text.toLowerCase();
  return isAscii(lower) ? tokenizeAscii(lower) : (lower.match(WORD_PATTERN) ?? []);
}

export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

export const CONTRACTIONS = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d"];

/** 0 = space, 1 = letter, 2 = digit, 3 = other (punctuation), for ASCII codes. */
export const ASCII_CLASS = new Uint8Array(128).map((_, c) => {
  if (c === 32 || (c >= 9 && c <= 13)) return 0; // JS \s in ASCII
  if (c >= 97 && c <= 122) return 1;
  if (c >= 65 && c <= 90) return 1;
  if (c >= 48 && c <= 57) return 2;
  return 3;
});

/**
 * The same tokens as WORD_PATTERN for ASCII text, several times faster: web captions are
 * mostly ASCII and WFPP tokenises every caption of the dataset.
 */
function tokenizeAscii(s: string): string[] {
  const out: string[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    const cls = ASCII_CLASS[s.charCodeAt(i)]!;
    if (cls === 0) {
      i++;
      continue;
    }
    if (s.charCodeAt(i) === 39) {
      // Contractions are tried first where a token starts with an apostrophe.
      const c = CONTRACTIONS.find((x) => s.startsWith(x, i));
      if (c) {
        out.push(c);
        i += c.length;
        continue;
      }
    }
    if (cls === 2) {
      out.push(s[i]!);
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && ASCII_CLASS[s.charCodeAt(j)] === cls) j++;
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

/** Adds the words of `text` to `counts` (a running dictionary). */
export function countWords(text: string, counts: Map<string, number>): void {
  for (const w of tokenize(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
}
