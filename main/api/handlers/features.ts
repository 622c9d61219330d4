import { listFeatureSets, featureErrorCounts } from '../../core/store/feature-sets';
import { startEmbedJob } from '../../core/features/start-embed';
import { checkImportRequest, startImportJob } from '../../core/features/import';
import { requireDataset } from './datasets';
import type { Handler } from './types';

export const embed: Handler<'features.embed'> = (ctx, input) => {
  const job = startEmbedJob(ctx, { ...input, model: input.model ?? 'builtin' });
  return { jobId: job.id, datasetId: input.datasetId };
};

export const importEmbeddings: Handler<'features.import'> = async (ctx, input) => {
  await checkImportRequest(ctx, input);
  const job = startImportJob(ctx, input);
  return { jobId: job.id, datasetId: input.datasetId };
};

export const list: Handler<'features.list'> = (ctx, input) => {
  requireDataset(ctx, input.datasetId);
  return listFeatureSets(ctx.db, input.datasetId).map((f) => ({
    id: f.id,
    datasetId: f.datasetId,
    model: f.model,
    state: f.state,
    meta: f.meta,
    errors: featureErrorCounts(ctx.db, f.id),
    ...(Array.isArray(f.meta.codeUsage) ? { codeUsage: f.meta.codeUsage as number[] } : {}),
    updatedAt: f.updatedAt,
  }));
};
