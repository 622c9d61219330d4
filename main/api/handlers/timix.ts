import { loadTimixPreview, startTimixJob } from '../../core/timix';
import type { Handler } from './types';

export const exportRecipe: Handler<'timix.export'> = (ctx, input) => {
  const job = startTimixJob(ctx, input);
  return { jobId: job.id, ...(job.datasetId !== null ? { datasetId: job.datasetId } : {}) };
};

export const preview: Handler<'timix.preview'> = (ctx, input) => loadTimixPreview(ctx, input);
