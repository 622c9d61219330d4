// Writes tiny CLIP, SigLIP and captioner model folders laid out exactly as the real
// transformers.js exports (config.json, preprocessor_config.json, tokenizer files,
// onnx/*.onnx), with deterministic weights. Tests load them through the same loader as
// real models.
//   npx tsx native-models/generate-tiny.ts <outDir>
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  TINY_CLIP_DIMS,
  tinyClipConfig,
  tinyClipPreprocessor,
  tinyClipTextModel,
  tinyClipVisionModel,
  tinySiglipConfig,
  tinySiglipPreprocessor,
  tinySiglipTextModel,
  tinySiglipVisionModel,
} from './tiny-clip';
import {
  tinyCaptionerConfig,
  tinyCaptionerDecoder,
  tinyCaptionerEncoder,
  tinyCaptionerGenerationConfig,
  tinyCaptionerPreprocessor,
} from './tiny-captioner';
import { tinyTokenizerConfig, tinyTokenizerJson } from './tiny-tokenizer';

export const TINY_MODEL_IDS = {
  clip: 'tiny-clip',
  siglip: 'tiny-siglip',
  captioner: 'tiny-captioner',
} as const;

function writeFolder(dir: string, json: Record<string, unknown>, onnx: Record<string, Uint8Array>): string {
  mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  for (const [name, value] of Object.entries(json))
    writeFileSync(path.join(dir, name), JSON.stringify(value, null, 2));
  for (const [name, bytes] of Object.entries(onnx)) writeFileSync(path.join(dir, 'onnx', name), bytes);
  return dir;
}

export function writeTinyClip(dir: string): string {
  return writeFolder(
    dir,
    {
      'config.json': tinyClipConfig(),
      'preprocessor_config.json': tinyClipPreprocessor(),
      'tokenizer.json': tinyTokenizerJson(),
      'tokenizer_config.json': tinyTokenizerConfig('CLIPTokenizer', TINY_CLIP_DIMS.maxText),
    },
    { 'vision_model.onnx': tinyClipVisionModel(), 'text_model.onnx': tinyClipTextModel() },
  );
}

export function writeTinySiglip(dir: string): string {
  return writeFolder(
    dir,
    {
      'config.json': tinySiglipConfig(),
      'preprocessor_config.json': tinySiglipPreprocessor(),
      'tokenizer.json': tinyTokenizerJson(),
      'tokenizer_config.json': tinyTokenizerConfig('SiglipTokenizer', TINY_CLIP_DIMS.maxText),
    },
    { 'vision_model.onnx': tinySiglipVisionModel(), 'text_model.onnx': tinySiglipTextModel() },
  );
}

export function writeTinyCaptioner(dir: string): string {
  return writeFolder(
    dir,
    {
      'config.json': tinyCaptionerConfig(),
      'generation_config.json': tinyCaptionerGenerationConfig(),
      'preprocessor_config.json': tinyCaptionerPreprocessor(),
      'tokenizer.json': tinyTokenizerJson(),
      'tokenizer_config.json': tinyTokenizerConfig('GPT2Tokenizer', 64),
    },
    { 'encoder_model.onnx': tinyCaptionerEncoder(), 'decoder_model_merged.onnx': tinyCaptionerDecoder() },
  );
}

/** Writes all tiny models under `outDir/<id>/`; returns their folders by kind. */
export function generateTiny(outDir: string): Record<keyof typeof TINY_MODEL_IDS, string> {
  return {
    clip: writeTinyClip(path.join(outDir, TINY_MODEL_IDS.clip)),
    siglip: writeTinySiglip(path.join(outDir, TINY_MODEL_IDS.siglip)),
    captioner: writeTinyCaptioner(path.join(outDir, TINY_MODEL_IDS.captioner)),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: npx tsx native-models/generate-tiny.ts <outDir>');
    process.exit(2);
  }
  const dirs = generateTiny(path.resolve(out));
  for (const [kind, dir] of Object.entries(dirs)) console.log(`${kind}: ${dir}`);
}
