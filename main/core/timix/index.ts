// TiMix (Jiang et al., AAAI 2024): text-aware image mixing as an exported recipe, an
// offline generator of mixed samples and a previewer (METHODS.md).
export {
  DEFAULT_BATCH_SIZE,
  runTimixExport,
  startTimixJob,
  TIMIX_MANIFEST_FORMAT,
  type TimixExportRequest,
  type TimixExportResult,
} from './export-job';
export { coverSquare, windowToOriginalPixels, windowToTrainingPixels, type PixelBox } from './geometry';
export {
  decodeForMix,
  dominantCaption,
  encodeRgb,
  Materializer,
  mixSample,
  renderBatch,
  sampleMeta,
  type LoadImage,
  type MaterializeOptions,
  type MaterializeStats,
  type MixedImageFormat,
} from './materialize';
export {
  DEFAULT_RATIO_RANGE,
  drawSquareSize,
  MIX_GRID,
  mixLambda,
  partnerOf,
  planBatch,
  squareSizes,
  type MixPlan,
} from './mixing';
export { stageOutputFolder, type StagedFolder } from './output-folder';
export { pasteWindow } from './paste';
export {
  previewMixes,
  previewSquareSize,
  type PreviewImage,
  type PreviewPlan,
  type PreviewSample,
} from './preview';
export {
  loadTimixPreview,
  type TimixPreview,
  type TimixPreviewPair,
  type TimixPreviewRequest,
} from './preview-loader';
export {
  batchesOf,
  buildRecipeBatch,
  RECIPE_FORMAT,
  RECIPE_VERSION,
  sampleKey,
  shuffledOrder,
  squareSizeDrawer,
  type RecipeBatch,
  type RecipePair,
  type RecipeSample,
  type RecipeSide,
} from './recipe';
export { RecipeWriter } from './recipe-writer';
export { builtinSaliency, clipSaliency, isFlat, resampleBilinear, tokenCosines, zScore } from './saliency';
export { datasetAssociation, openSaliencySource, type SaliencySource } from './saliency-source';
export { AUTHORS_SCHEDULE, describeSchedule, mixWeight, type TimixSchedule } from './schedule';
export { ShardWriter, type ShardInfo, type ShardWriterOptions } from './shard-writer';
export { isMixable, resolveSubset, subsetSource, type Subset, type SubsetRequest } from './subset';
export {
  centreDistance,
  extremeWindows,
  prefixSums,
  windowSum,
  type PatchWindow,
  type ScoredWindow,
} from './windows';
