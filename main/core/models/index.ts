// Public surface of the model layer (CLIP-family encoders, captioners, registry, downloads).
export {
  ClipEncoder,
  type EncoderFamily,
  type EncoderLoadOptions,
  type PatchTokens,
  type BatchOptions,
} from './clip-encoder';
export { Captioner, TLDR_CAPTION_OPTIONS, type CaptionOptions, type CaptionerLoadOptions } from './captioner';
export { openEncoder, openCaptioner, resolveModel, type ModelRef, type OpenModelOptions } from './open-model';
export {
  ensureModel,
  checkModelFolder,
  isOfflineMode,
  modelDir,
  modelsDir,
  ModelUnavailableError,
  type ModelDownloadProgress,
} from './model-store';
export { loadRegistry, getModel, findModel, filesFor, type ModelEntry, type ModelRegistry } from './registry';
export { requiredFiles, missingFiles, type ModelDtype, type ModelRuntime } from './model-files';
export { deviceForProvider, type TransformersDevice } from './device';
export type { ImageInput, PixelBuffer } from './image-input';
