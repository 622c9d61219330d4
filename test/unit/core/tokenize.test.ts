import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../main/core/text/tokenize';

describe('WFPP tokenizer (CLIP pre-tokenisation, no BPE)', () => {
  it('splits contractions, letter runs, single digits and punctuation runs, lower-cased', () => {
    expect(tokenize("It's a DOG's 2019 photo!!! -- isn't it?")).toEqual([
      'it',
      "'s",
      'a',
      'dog',
      "'s",
      '2',
      '0',
      '1',
      '9',
      'photo',
      '!!!',
      '--',
      'isn',
      "'t",
      'it',
      '?',
    ]);
  });
  it('keeps non-Latin letters together and drops whitespace', () => {
    expect(tokenize('  Café  über\tstraße\n')).toEqual(['café', 'über', 'straße']);
  });
  it('returns nothing for empty or blank text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize('   ')).toEqual([]);
  });

  it('the ASCII fast path gives exactly the regex tokens (random strings, control characters included)', () => {
    const pattern = /'s|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}|[^\s\p{L}\p{N}]+/gu;
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let k = 0; k < 20_000; k++) {
      let s = '';
      const len = Math.floor(rand() * 24);
      for (let i = 0; i < len; i++) {
        s +=
          rand() < 0.3 ? "'strelvmd"[Math.floor(rand() * 9)] : String.fromCharCode(Math.floor(rand() * 128));
      }
      expect(tokenize(s)).toEqual(s.toLowerCase().match(pattern) ?? []);
    }
  });
});
