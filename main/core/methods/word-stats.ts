// Pure helpers for the Words view: rank/frequency, top words, vocabulary size and entropy,
// before and after a selection.
import { countCaptionWords } from './wfpp';
import type { CaptionList } from './wfpp';

export interface WordCount {
  word: string;
  count: number;
}

/** Words by count, most frequent first (ties alphabetical, so the list is stable). */
export function rankFrequency(counts: Map<string, number>): WordCount[] {
  return [...counts]
    .map(([word, count]) => ({ word, count }))
    .sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
}

export function topWords(counts: Map<string, number>, k = 50): WordCount[] {
  return rankFrequency(counts).slice(0, k);
}

/**
 * The rank/frequency curve thinned to about `points` log-spaced ranks (1-based), for a
 * log-log chart: a 1M-word vocabulary should not ship 1M points to the renderer.
 */
export function rankFrequencyCurve(
  counts: Map<string, number>,
  points = 200,
): { rank: number; count: number }[] {
  const sorted = [...counts.values()].sort((a, b) => b - a);
  const n = sorted.length;
  if (n === 0) return [];
  const out: { rank: number; count: number }[] = [];
  const step = Math.log(n) / Math.max(1, points - 1);
  let last = 0;
  for (let k = 0; k < points; k++) {
    const rank = Math.min(n, Math.max(last + 1, Math.round(Math.exp(k * step))));
    if (rank <= last) continue;
    out.push({ rank, count: sorted[rank - 1] as number });
    last = rank;
    if (rank === n) break;
  }
  if (last !== n) out.push({ rank: n, count: sorted[n - 1] as number });
  return out;
}

export interface VocabularyStats {
  /** Distinct words. */
  vocabulary: number;
  /** Total word occurrences. */
  tokens: number;
  /** Shannon entropy of the word distribution, bits. */
  entropyBits: number;
}

export function vocabularyStats(counts: Map<string, number>): VocabularyStats {
  let tokens = 0;
  let vocabulary = 0;
  for (const c of counts.values()) {
    if (c > 0) {
      tokens += c;
      vocabulary++;
    }
  }
  let h = 0;
  for (const c of counts.values()) {
    if (c > 0) {
      const p = c / tokens;
      h -= p * Math.log2(p);
    }
  }
  return { vocabulary, tokens, entropyBits: h };
}

export interface VocabularyComparison {
  before: VocabularyStats;
  after: VocabularyStats;
  /** Words present before and absent after, most frequent first (first `lostLimit`). */
  lostWords: WordCount[];
  lostCount: number;
}

/** Vocabulary before (all pairs, or `base` mask) and after pruning (the kept mask). */
export function compareVocabulary(
  captions: CaptionList,
  kept: Uint8Array,
  opts: { base?: Uint8Array; lostLimit?: number } = {},
): VocabularyComparison {
  const before = countCaptionWords(captions, opts.base);
  const after = countCaptionWords(captions, kept);
  return compareCounts(before, after, opts.lostLimit);
}

export function compareCounts(
  before: Map<string, number>,
  after: Map<string, number>,
  lostLimit = 50,
): VocabularyComparison {
  const lost: WordCount[] = [];
  for (const [word, count] of before) if (!after.has(word)) lost.push({ word, count });
  lost.sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : 1));
  return {
    before: vocabularyStats(before),
    after: vocabularyStats(after),
    lostWords: lost.slice(0, lostLimit),
    lostCount: lost.length,
  };
}
