// Starting (or resuming) the embed job for a dataset and a model.
import type { CoreContext } from '../context';
import { providers } from '../compute/providers';
import type { JobRecord } from '../jobs/runner';
import { getDataset } from '../store/datasets';
import { createBuiltinEncoder } from './builtin/encoder';
import { runEmbed, type EmbedOptions } from './embed';
import type { FeatureEncoder } from './encoder';
import { checkSampleFraction } from './sample';
import { UserInputError } from '../ingest/index-dataset';

export interface EmbedRequest extends EmbedOptions {
  datasetId: number;
  model: string;
  device?: 'auto' | 'cuda' | 'dml' | 'coreml' | 'cpu' | undefined;
}

export type EncoderFactory = (model: string, ctx: CoreContext) => Promise<FeatureEncoder>;

let externalFactory: EncoderFactory | undefined;

/** The CLIP-family loader registers itself here (models/), keeping this module free of it. */
export function registerEncoderFactory(f: EncoderFactory): void {
  externalFactory = f;
}

export async function resolveEncoder(model: string, ctx: CoreContext): Promise<FeatureEncoder> {
  if (model === 'builtin') return createBuiltinEncoder();
  if (!externalFactory) throw new UserInputError(`model "${model}" is not available: only "builtin" is`);
  return externalFactory(model, ctx);
}

export function startEmbedJob(ctx: CoreContext, req: EmbedRequest): JobRecord {
  const dataset = getDataset(ctx.db, req.datasetId);
  if (!dataset) throw new UserInputError(`no dataset with id ${req.datasetId}`);
  if (dataset.state !== 'ready')
    throw new UserInputError(`dataset ${dataset.id} is not indexed yet (${dataset.state})`);
  if (req.device) providers.setPreferred(req.device);
  if (req.sample !== undefined) {
    const bad = checkSampleFraction(req.sample);
    if (bad) throw new UserInputError(bad);
  }
  const params = {
    model: req.model,
    resumeKey: req.model,
    ...(req.sample !== undefined ? { sample: req.sample, sampleSeed: req.sampleSeed ?? 1 } : {}),
  };
  return ctx.jobs.start('embed', dataset.id, params, async (jc) => {
    const encoder = await resolveEncoder(req.model, ctx);
    try {
      return await runEmbed(ctx, jc, dataset, encoder, req);
    } finally {
      await encoder.dispose?.();
    }
  });
}
