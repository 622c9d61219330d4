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
});
