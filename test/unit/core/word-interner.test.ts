import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../main/core/text/tokenize';
import { WordInterner } from '../../../main/core/text/word-interner';
import { sharedData } from '../../helpers/tmp';

/** The words the interner gives each caption, back as strings. */
function internedWords(captions: string[]): string[][] {
  const it = new WordInterner();
  const out: string[][] = [];
  for (const c of captions) {
    const from = it.length;
    it.add(c);
    out.push(Array.from(it.ids.subarray(from, it.length), (id) => it.words[id]!));
  }
  return out;
}

describe('WordInterner: the words of tokenize(), as ids', () => {
  it('splits exactly as tokenize() on contractions in any case, digits, punctuation runs and non-ASCII text', () => {
    const captions = [
      "It's a DOG'S 2019 photo!!! -- isn't it?",
      "WE'LL see, they'RE here, I'M sure, you'VE been, he'D go, can'T",
      "'' ' 's 'S 'x '' 'll' ''re trailing '",
      'Café  über\tstraße İstanbul KELVIN \u212A ǅ 😀 日本語テキスト',
      'MiXeD CaSe mixed case MIXED CASE',
      'a\u00a0non-breaking\u2003space and tabs\t\tand\nnewlines',
      '',
      '   ',
      '123abc456 x1y2 ---!!!???...',
    ];
    expect(internedWords(captions)).toEqual(captions.map((c) => tokenize(c)));
  });

  it('gives one id per distinct word, whichever way (ASCII or not) the caption was read', () => {
    const it = new WordInterner();
    it.add('Dog dog DOG');
    it.add('dog über Dog');
    expect(Array.from(it.ids.subarray(0, it.length))).toEqual([0, 0, 0, 0, 1, 0]);
    expect(it.words).toEqual(['dog', 'über']);
  });

  it('keeps ids apart across many words (the table grows and rehashes)', () => {
    // 50,000 distinct letter-only words: base-26 numbers written with a–z.
    const words = Array.from({ length: 50_000 }, (_, i) =>
      i.toString(26).replace(/[0-9a-p]/g, (d) => String.fromCharCode(97 + parseInt(d, 26))),
    );
    const it = new WordInterner();
    for (const w of words) it.add(w);
    for (const w of words) it.add(w.toUpperCase());
    expect(it.words).toEqual(words);
    expect(Array.from(it.ids.subarray(0, it.length))).toEqual([...words.keys(), ...words.keys()]);
  });

  const llava = path.join(sharedData, 'llava-pretrain-2k', 'captions.tsv');
  it.skipIf(!existsSync(llava))('agrees with tokenize() on real captions', () => {
    const captions = readFileSync(llava, 'utf8').split('\n');
    expect(internedWords(captions)).toEqual(captions.map((c) => tokenize(c)));
  });
});
