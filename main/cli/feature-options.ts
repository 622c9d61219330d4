// The embed and import-embeddings options → the contract's input (pure, so the flags are
// tested without an engine). Bad values are usage errors (exit 2).
import type { ImportSourceDto } from '../api/schemas';
import { SpecOptionError } from './spec-options';

/** "0.1" or "10%" → 0.1; a fraction in (0, 1]. */
export function parseSample(text: string): number {
  const t = text.trim();
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(t);
  const x = pct ? Number(pct[1]) / 100 : t === '' ? NaN : Number(t);
  if (!Number.isFinite(x) || x <= 0 || x > 1)
    throw new SpecOptionError(`--sample "${text}" is not a fraction in (0, 1] (0.1 or 10%)`);
  return x;
}

function nonNegativeInt(text: string, what: string): number {
  const x = Number(text);
  if (!Number.isInteger(x) || x < 0) throw new SpecOptionError(`${what} "${text}" is not a whole number ≥ 0`);
  return x;
}

export interface EmbedFlags {
  model: string;
  device: string;
  codebookSize: string;
  seed: string;
  sample?: string | undefined;
  sampleSeed?: string | undefined;
}

export function embedInput(datasetId: number, o: EmbedFlags) {
  const k = Number(o.codebookSize);
  if (!Number.isInteger(k) || k < 2)
    throw new SpecOptionError(`--codebook-size "${o.codebookSize}" must be ≥ 2`);
  if (o.sampleSeed !== undefined && o.sample === undefined)
    throw new SpecOptionError('--sample-seed goes with --sample');
  return {
    datasetId,
    model: o.model,
    device: o.device as 'auto' | 'cuda' | 'dml' | 'coreml' | 'cpu',
    codebookSize: k,
    seed: nonNegativeInt(o.seed, '--seed'),
    ...(o.sample !== undefined ? { sample: parseSample(o.sample) } : {}),
    ...(o.sampleSeed !== undefined ? { sampleSeed: nonNegativeInt(o.sampleSeed, '--sample-seed') } : {}),
  };
}

export function importInput(
  datasetId: number,
  source: ImportSourceDto,
  o: { model?: string | undefined; into?: string | undefined },
) {
  if (o.model && o.into)
    throw new SpecOptionError('--model names a new feature set and --into an existing one: give one of them');
  return {
    datasetId,
    source,
    ...(o.model ? { model: o.model } : {}),
    ...(o.into ? { into: o.into } : {}),
  };
}
