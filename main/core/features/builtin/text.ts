// The builtin text features: hashed TF-IDF over words and word bigrams, reduced to a
// dense vector by a fixed sparse random projection (each hashed feature adds ±1 to a
// few output dims). No vocabulary to store, the same projection on every machine, and
// cosine of the dense vectors approximates cosine of the TF-IDF vectors.
import { tokenize } from '../../text/tokenize';

export const TEXT_DIMS = 256;
/** Output dims each hashed feature touches (sparse Achlioptas-style projection). */
const TOUCH = 4;

/** FNV-1a 32-bit with a seed: stable across platforms, cheap. */
export function hash32(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Words that carry content: letter runs of 2+ characters (punctuation and digits dropped). */
export function contentWords(caption: string): string[] {
  return tokenize(caption).filter((w) => w.length > 1 && /\p{L}/u.test(w));
}

/** Features of a caption: its words and adjacent-word bigrams. */
export function textFeatures(caption: string): string[] {
  const w = contentWords(caption);
  const out = w.slice();
  for (let i = 0; i + 1 < w.length; i++) out.push(`${w[i]} ${w[i + 1]}`);
  return out;
}

/** Document frequencies of features, for IDF. One pass over the captions. */
export class DocumentFrequencies {
  readonly df = new Map<number, number>();
  docs = 0;
  add(caption: string): void {
    this.docs++;
    for (const h of new Set(textFeatures(caption).map((f) => hash32(f))))
      this.df.set(h, (this.df.get(h) ?? 0) + 1);
  }
  idf(h: number): number {
    return Math.log((1 + this.docs) / (1 + (this.df.get(h) ?? 0))) + 1;
  }
}

/** Dense, unit-length embedding of a caption (zeros for a caption with no content words). */
export function embedText(caption: string, df: DocumentFrequencies, dims = TEXT_DIMS): Float32Array {
  const out = new Float32Array(dims);
  const tf = new Map<number, number>();
  for (const f of textFeatures(caption)) {
    const h = hash32(f);
    tf.set(h, (tf.get(h) ?? 0) + 1);
  }
  for (const [h, count] of tf) {
    const w = (1 + Math.log(count)) * df.idf(h);
    let s = h;
    for (let t = 0; t < TOUCH; t++) {
      s = Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) >>> 0;
      s = (s ^ (s >>> 12)) >>> 0;
      const dim = s % dims;
      out[dim]! += (s & 0x80000000 ? -1 : 1) * w;
    }
  }
  let n = 0;
  for (let i = 0; i < dims; i++) n += out[i]! * out[i]!;
  n = Math.sqrt(n);
  if (n > 0) for (let i = 0; i < dims; i++) out[i]! /= n;
  return out;
}
