// Caption refinement (TL;DR step 6) and the builtin captioner.
export {
  refineCaptions,
  refinedRows,
  type CaptionerChoice,
  type RefineOptions,
  type RefineProgress,
  type RefineSummary,
} from './refine';
export { startRefineJob, type RefineRequest } from './start-refine';
export {
  BLIP_MAX_WORDS,
  blipPreCaption,
  blipWords,
  mergeAndCount,
  mergeCaption,
  type MergedCaption,
} from './merge';
export {
  learnBuiltinCaptioner,
  type BuiltinCaptioner,
  type BuiltinCaptionerOptions,
} from './builtin-captioner';
export {
  learnCrossFitCaptioner,
  describeCoded,
  modelFor,
  type CrossFitCaptioner,
} from './cross-fit-captioner';
export { describeCodes, captionCodes, type DescribedThing, type ImageDescription } from './phrase';
export { WordRole } from './word-roles';
export { listRefined, refinedSeqs, truncationCounts, type RefinedRow } from './refined-store';
export type { AlignmentHistogram, AlignmentSummary } from './alignment-change';
