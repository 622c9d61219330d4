// What a model folder must hold for transformers.js to load it, per runtime and dtype.
// The layout is the hub's: JSON files at the top, ONNX graphs under onnx/ with the
// transformers.js dtype suffix ('' fp32, '_fp16', '_quantized' for q8).
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

export type ModelRuntime = 'clip' | 'siglip' | 'vision-encoder-decoder' | 'florence2';
export type ModelDtype = 'fp32' | 'fp16' | 'q8';

export const DTYPE_SUFFIX: Record<ModelDtype, string> = { fp32: '', fp16: '_fp16', q8: '_quantized' };

const ONNX_GRAPHS: Record<ModelRuntime, readonly string[]> = {
  clip: ['text_model', 'vision_model'],
  siglip: ['text_model', 'vision_model'],
  'vision-encoder-decoder': ['encoder_model', 'decoder_model_merged'],
  florence2: ['embed_tokens', 'vision_encoder', 'encoder_model', 'decoder_model_merged'],
};

const JSON_FILES = ['config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json'];
/** Read when present; transformers.js falls back to config.json without them. */
const OPTIONAL_FILES: Record<ModelRuntime, readonly string[]> = {
  clip: [],
  siglip: [],
  'vision-encoder-decoder': ['generation_config.json'],
  florence2: ['generation_config.json', 'processor_config.json'],
};

export function onnxFile(graph: string, dtype: ModelDtype): string {
  return `onnx/${graph}${DTYPE_SUFFIX[dtype]}.onnx`;
}

/** Files without which loading fails, relative to the model folder, '/'-separated. */
export function requiredFiles(runtime: ModelRuntime, dtype: ModelDtype): string[] {
  return [...JSON_FILES, ...ONNX_GRAPHS[runtime].map((g) => onnxFile(g, dtype))];
}

export function optionalFiles(runtime: ModelRuntime): string[] {
  return [...OPTIONAL_FILES[runtime]];
}

/** Required files that are absent (or empty) in `dir`. */
export function missingFiles(dir: string, runtime: ModelRuntime, dtype: ModelDtype): string[] {
  return requiredFiles(runtime, dtype).filter((f) => {
    const p = path.join(dir, ...f.split('/'));
    return !existsSync(p) || statSync(p).size === 0;
  });
}

/** The runtime a config.json describes (model_type), or undefined for an unsupported one. */
export function runtimeOfConfig(config: { model_type?: unknown }): ModelRuntime | undefined {
  switch (config.model_type) {
    case 'clip':
      return 'clip';
    case 'siglip':
      return 'siglip';
    case 'vision-encoder-decoder':
      return 'vision-encoder-decoder';
    case 'florence2':
      return 'florence2';
    default:
      return undefined;
  }
}
