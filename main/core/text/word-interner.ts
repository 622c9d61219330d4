// Caption words as integer ids, straight from the text. WFPP tokenises every caption of a
// dataset, and slicing each word into a string to look it up in a Map was most of its time:
// here an ASCII caption is scanned in place (a hash of the char codes, compared against the
// stored word) and only a word seen for the first time becomes a string. Other captions go
// through tokenize() and are interned word by word. The words and their order are exactly
// tokenize()'s (test/unit/core/word-interner.test.ts checks that).
import { ASCII_CLASS, isAscii, tokenize } from './tokenize';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** ASCII A-Z → a-z; every other code as is (words from tokenize() are lower-cased already). */
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** Length of the contraction starting at the apostrophe s[i] (any case), or 0. */
function contractionLength(s: string, i: number): number {
  if (i + 1 >= s.length) return 0;
  const a = lower(s.charCodeAt(i + 1));
  if (a === 115 || a === 116 || a === 109 || a === 100) return 2; // s t m d
  if (i + 2 >= s.length) return 0;
  const b = lower(s.charCodeAt(i + 2));
  if ((a === 114 || a === 118) && b === 101) return 3; // re ve
  return a === 108 && b === 108 ? 3 : 0; // ll
}

export class WordInterner {
  /** Word of each id, in first-seen order. */
  readonly words: string[] = [];
  /** Id of every word of every caption added, in order; valid up to `length`. */
  ids = new Int32Array(1 << 16);
  length = 0;
  /** Open addressing: id + 1 per slot, 0 = empty. */
  private table = new Int32Array(1 << 12);
  private hashes = new Int32Array(1 << 11);

  /** Appends the ids of the caption's words (lower-cased, as tokenize() splits them). */
  add(text: string): void {
    if (!isAscii(text)) {
      for (const w of tokenize(text)) this.push(this.lookup(w, 0, w.length));
      return;
    }
    // ASCII: lower-cased on the fly (no lower-cased copy of the caption).
    const s = text;
    const n = s.length;
    let i = 0;
    while (i < n) {
      const code = s.charCodeAt(i);
      const cls = ASCII_CLASS[code]!;
      if (cls === 0) {
        i++;
        continue;
      }
      if (code === 39) {
        // Contractions ('s 't 're 've 'm 'll 'd) are tried first where a token starts with an apostrophe.
        const len = contractionLength(s, i);
        if (len) {
          this.push(this.lookup(s, i, i + len));
          i += len;
          continue;
        }
      }
      let j = i + 1;
      if (cls !== 2) while (j < n && ASCII_CLASS[s.charCodeAt(j)] === cls) j++;
      this.push(this.lookup(s, i, j));
      i = j;
    }
  }

  private push(id: number): void {
    if (this.length === this.ids.length) {
      const grown = new Int32Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.length++] = id;
  }

  /** Id of s[start, end), added if new. */
  private lookup(s: string, start: number, end: number): number {
    let h = FNV_OFFSET;
    for (let k = start; k < end; k++) h = Math.imul(h ^ lower(s.charCodeAt(k)), FNV_PRIME);
    const mask = this.table.length - 1;
    const len = end - start;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const e = this.table[slot]!;
      if (e === 0) break;
      const id = e - 1;
      if (this.hashes[id] !== h) continue;
      const w = this.words[id]!;
      if (w.length !== len) continue;
      let k = 0;
      while (k < len && w.charCodeAt(k) === lower(s.charCodeAt(start + k))) k++;
      if (k === len) return id;
    }
    const id = this.words.length;
    this.words.push((start === 0 && end === s.length ? s : s.slice(start, end)).toLowerCase());
    if (id === this.hashes.length) {
      const grown = new Int32Array(id * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[id] = h;
    if ((id + 1) * 2 > this.table.length) this.rehash();
    else this.place(id, h);
    return id;
  }

  private place(id: number, h: number): void {
    const mask = this.table.length - 1;
    let slot = h & mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & mask;
    this.table[slot] = id + 1;
  }

  private rehash(): void {
    this.table = new Int32Array(this.table.length * 2);
    for (let id = 0; id < this.words.length; id++) this.place(id, this.hashes[id]!);
  }
}
