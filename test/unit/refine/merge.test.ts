import { describe, expect, it } from 'vitest';
import {
  BLIP_MAX_WORDS,
  blipPreCaption,
  blipWords,
  mergeAndCount,
  mergeCaption,
} from '../../../main/core/refine/merge';
import { refinedRows } from '../../../main/core/refine/refine';

const words = (n: number, w = 'word'): string => Array.from({ length: n }, (_, i) => `${w}${i}`).join(' ');

describe('merged training caption', () => {
  it('is original + "; " + generated, as the authors wrote it', () => {
    expect(mergeCaption('a dog on a beach', 'a brown dog running on the sand')).toBe(
      'a dog on a beach; a brown dog running on the sand',
    );
  });

  it('splits words as BLIP pre_caption does', () => {
    // ';' and the listed punctuation become spaces; commas stay attached; runs of spaces collapse.
    expect(blipWords('A dog; "running" (fast)! on the beach.')).toEqual([
      'a',
      'dog',
      'running',
      'fast',
      'on',
      'the',
      'beach',
    ]);
    expect(blipWords('cats, dogs')).toEqual(['cats,', 'dogs']);
    expect(blipWords('')).toEqual([]);
    expect(blipPreCaption(words(35))).toBe(words(30));
    expect(blipPreCaption('Hello World.')).toBe('hello world');
  });

  it('counts the generated words BLIP’s 30-word cut drops (by hand)', () => {
    // 28 + 6 = 34 words: the last 4 generated words are dropped.
    const r = mergeAndCount(words(28), 'a red ball on the grass');
    expect(r.generatedWords).toBe(6);
    expect(r.truncated).toBe(4);
    expect(blipPreCaption(r.merged).split(' ').slice(28)).toEqual(['a', 'red']);
    // 24 + 6 = 30: nothing dropped.
    expect(mergeAndCount(words(24), 'a red ball on the grass').truncated).toBe(0);
    // An original of 31 words leaves no room at all: every generated word is dropped.
    expect(mergeAndCount(words(31), 'a red ball').truncated).toBe(3);
    // Punctuation-only tokens and ';' do not make words; "word." is one word after the dot goes.
    expect(mergeAndCount(`${words(27)}.`, 'the sun; at night').truncated).toBe(1);
    expect(BLIP_MAX_WORDS).toBe(30);
  });

  it('builds rows; an empty generated phrase leaves the caption as it was', () => {
    const rows = refinedRows(
      'builtin',
      [
        { seq: 3, caption: 'a cat' },
        { seq: 5, caption: null },
        { seq: 9, caption: words(29) },
      ],
      ['  a white cat on a table ', '', 'the sun in the sky'],
    );
    expect(rows).toEqual([
      {
        seq: 3,
        model: 'builtin',
        generated: 'a white cat on a table',
        merged: 'a cat; a white cat on a table',
        truncated: 0,
      },
      { seq: 5, model: 'builtin', generated: '', merged: '', truncated: 0 },
      {
        seq: 9,
        model: 'builtin',
        generated: 'the sun in the sky',
        merged: `${words(29)}; the sun in the sky`,
        truncated: 4,
      },
    ]);
  });
});
