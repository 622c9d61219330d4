import { describe, expect, it } from 'vitest';
import {
  buildDictionary,
  countCaptionWords,
  createWfppScorer,
  discardProbabilities,
  wfppSchedule,
  wfppSelect,
} from '../../../main/core/methods/wfpp';
import {
  compareVocabulary,
  rankFrequencyCurve,
  topWords,
  vocabularyStats,
} from '../../../main/core/methods/word-stats';
import { reasonAt } from '../../../main/core/methods/selection';

// Dictionary used by the hand computations: Σc over kept words = 64 + 25 + 5 + 6 = 100,
// 'z' (count 4 < 5) is dropped. t = 0.09 so the square roots come out round:
//   a: f = 0.64 → P = 1 − sqrt(0.09/0.64) = 1 − 0.3/0.8 = 0.625
//   b: f = 0.25 → P = 1 − sqrt(0.09/0.25) = 1 − 0.3/0.5 = 0.4
//   e: f = 0.05 → P = 1 − sqrt(1.8) < 0 → p = 1
//   g: f = 0.06 → P = 1 − sqrt(1.5) < 0 → p = 1
//   z, ',', '.': not in the dictionary → p = 1
const COUNTS = new Map([
  ['a', 64],
  ['b', 25],
  ['e', 5],
  ['g', 6],
  ['z', 4],
]);
const T = 0.09;

describe('WFPP dictionary and discard probabilities', () => {
  it('drops words below min count and normalises over the dictionary', () => {
    const dict = buildDictionary(COUNTS, 5);
    expect(dict.total).toBe(100);
    expect(dict.dropped).toBe(1);
    expect(dict.counts.has('z')).toBe(false);
    const p = discardProbabilities(dict, T);
    expect(p.get('a')).toBeCloseTo(0.625, 12);
    expect(p.get('b')).toBeCloseTo(0.4, 12);
    expect(p.get('e')).toBe(1);
    expect(p.get('g')).toBe(1);
  });

  it('counts words with the WFPP tokenizer (lower-case, punctuation as words)', () => {
    const c = countCaptionWords(['A dog, a Cat.', null, 'dog'], undefined);
    expect(c.get('a')).toBe(2);
    expect(c.get('dog')).toBe(2);
    expect(c.get(',')).toBe(1);
    expect(c.get('.')).toBe(1);
  });
});

describe('WFPP scores computed by hand', () => {
  const p = discardProbabilities(buildDictionary(COUNTS, 5), T);
  const score = createWfppScorer(p);

  it('s = (1 − Π p_i) / n', () => {
    // "a b": Π = 0.625 · 0.4 = 0.25 → (1 − 0.25) / 2 = 0.375
    expect(score('a b')).toBeCloseTo(0.375, 12);
    // "a a a": Π = 0.625³ = 0.244140625 → 0.755859375 / 3 = 0.251953125
    expect(score('a a a')).toBeCloseTo(0.251953125, 12);
    // "b e z": Π = 0.4 · 1 · 1 → 0.6 / 3 = 0.2
    expect(score('b e z')).toBeCloseTo(0.2, 12);
    // "a, b.": words a , b . → Π = 0.25, n = 4 → 0.75 / 4 = 0.1875
    expect(score('a, b.')).toBeCloseTo(0.1875, 12);
    // Upper case is lowered: "A B" = "a b"
    expect(score('A B')).toBeCloseTo(0.375, 12);
    // Only unknown words: Π = 1 → 0
    expect(score('z')).toBe(0);
  });

  it('empty captions score 0', () => {
    expect(score('')).toBe(0);
    expect(score('   ')).toBe(0);
    expect(score(null)).toBe(0);
  });

  it('only the first 30 words count', () => {
    // 40 × "b": n = 30, Π = 0.4^30 → (1 − 0.4^30) / 30
    const caption = Array(40).fill('b').join(' ');
    expect(score(caption)).toBeCloseTo((1 - 0.4 ** 30) / 30, 12);
    // 30 × "z" then "b": the "b" is word 31 and is ignored → Π = 1 → 0
    expect(score(Array(30).fill('z').join(' ') + ' b')).toBe(0);
  });

  it('P(w) = 0 exactly gives p = 0 (not 1); the geometric variant stays finite', () => {
    // t = 0.05: e has f = 0.05 = t → P = 1 − sqrt(1) = 0 → p = 0; "e a" → Π = 0 → 1/2
    const p05 = discardProbabilities(buildDictionary(COUNTS, 5), 0.05);
    expect(p05.get('e')).toBe(0);
    expect(createWfppScorer(p05)('e a')).toBe(0.5);
    expect(Number.isFinite(createWfppScorer(p05, { variant: 'geometric' })('e a'))).toBe(true);
  });

  it('geometric variant: −(1/n) Σ log p_i', () => {
    const geo = createWfppScorer(p, { variant: 'geometric' });
    // "a b": −(ln 0.625 + ln 0.4) / 2 = −ln(0.25) / 2 = ln 2
    expect(geo('a b')).toBeCloseTo(Math.LN2, 12);
    // "b e z": −(ln 0.4 + 0 + 0) / 3
    expect(geo('b e z')).toBeCloseTo(-Math.log(0.4) / 3, 12);
    expect(geo('')).toBe(0);
  });
});

describe('WFPP selection', () => {
  // Scores: 0 "a b" .375 | 1 "a a a" .252 | 2 "b e z" .2 | 3 "" 0 | 4 "z" 0 | 5 "a, b." .1875
  //         6 "b b" (1 − .16)/2 = .42 | 7 "A B" .375 | 8 null 0 | 9 40×b ≈ .0333
  const captions = [
    'a b',
    'a a a',
    'b e z',
    '',
    'z',
    'a, b.',
    'b b',
    'A B',
    null,
    Array(40).fill('b').join(' '),
  ];

  it('keeps the top r·N by score, ties broken by index', () => {
    const sel = wfppSelect(captions, { budget: { ratio: 0.3 }, counts: COUNTS, t: T });
    expect(Array.from(sel.kept)).toEqual([1, 0, 0, 0, 0, 0, 1, 1, 0, 0]);
    const two = wfppSelect(captions, { budget: { pairs: 2 }, counts: COUNTS, t: T });
    // 0 and 7 tie at 0.375: the lower index wins.
    expect(Array.from(two.kept)).toEqual([1, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    expect(two.scores[6]).toBeCloseTo(0.42, 12);
    expect(reasonAt(two.reasons, 7)).toMatchObject({ step: 'wfpp', code: 'frequent-words' });
    expect(two.budget).toEqual({ requested: 2, actual: 2, exact: true });
  });

  it('respects the eligible mask and is deterministic', () => {
    const eligible = new Uint8Array(10).fill(1);
    eligible[6] = 0;
    const a = wfppSelect(captions, { budget: { pairs: 2 }, counts: COUNTS, t: T, eligible });
    expect(Array.from(a.kept)).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(reasonAt(a.reasons, 6)).toMatchObject({ code: 'excluded' });
    const b = wfppSelect(captions, { budget: { pairs: 2 }, counts: COUNTS, t: T, eligible });
    expect(Array.from(b.kept)).toEqual(Array.from(a.kept));
  });

  it('derives the dictionary from the captions when no counts are given', () => {
    // Realistic skew: "a photo of" in every caption, rare content words.
    const caps: string[] = [];
    for (let i = 0; i < 200; i++)
      caps.push(
        i % 4 === 0 ? `a photo of a ${['zebra', 'violin', 'glacier'][i % 3]} at dusk` : 'a photo of a dog',
      );
    const sel = wfppSelect(caps, { budget: { ratio: 0.25 }, t: 1e-3 });
    // Captions with the rarer content words are the ones kept.
    for (let i = 0; i < 200; i++) expect(sel.kept[i]).toBe(i % 4 === 0 ? 1 : 0);
    expect(sel.derived.find((d) => d.key === 't')?.value).toBe(1e-3);
  });

  it('exports the two-stage schedule', () => {
    const s = wfppSchedule({ pretrainEpochs: 32 });
    expect(s.stages).toHaveLength(2);
    expect(s.stages[0]).toMatchObject({ data: 'kept', epochs: 32 });
    expect(s.stages[1]).toMatchObject({ data: 'full', epochs: 1, lr: 1e-5, warmupEpochs: 0.1 });
  });
});

describe('word statistics', () => {
  it('vocabulary size and entropy before/after', () => {
    const caps = ['a a b', 'c d', 'a b'];
    const v = vocabularyStats(countCaptionWords(caps));
    // counts a 3, b 2, c 1, d 1 → 7 tokens
    expect(v).toMatchObject({ vocabulary: 4, tokens: 7 });
    const h = -(3 / 7) * Math.log2(3 / 7) - 2 * (1 / 7) * Math.log2(1 / 7) - (2 / 7) * Math.log2(2 / 7);
    expect(v.entropyBits).toBeCloseTo(h, 12);
    const cmp = compareVocabulary(caps, Uint8Array.from([1, 0, 1]));
    expect(cmp.after.vocabulary).toBe(2);
    expect(cmp.lostWords.map((w) => w.word)).toEqual(['c', 'd']);
    expect(topWords(countCaptionWords(caps), 2)).toEqual([
      { word: 'a', count: 3 },
      { word: 'b', count: 2 },
    ]);
  });

  it('thins the rank/frequency curve to log-spaced ranks', () => {
    const counts = new Map<string, number>();
    for (let r = 1; r <= 10000; r++) counts.set(`w${r}`, Math.ceil(1e6 / r));
    const curve = rankFrequencyCurve(counts, 50);
    expect(curve.length).toBeLessThanOrEqual(51);
    expect(curve[0]).toEqual({ rank: 1, count: 1e6 });
    expect(curve.at(-1)?.rank).toBe(10000);
    for (let k = 1; k < curve.length; k++) expect(curve[k]!.rank).toBeGreaterThan(curve[k - 1]!.rank);
  });
});
