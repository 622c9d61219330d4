// Vocabulary size and word-frequency entropy before/after a selection (same helpers as the Words view).
export { compareVocabulary, compareCounts, vocabularyStats } from '../methods/word-stats';
export type { VocabularyComparison, VocabularyStats } from '../methods/word-stats';
