import { startDemoJob } from '../../core/pipeline/demo';
import type { Handler } from './types';

export const generate: Handler<'demo.generate'> = (ctx, input) => {
  const job = startDemoJob(ctx, { seed: input.seed ?? 1, count: input.count ?? 3000 });
  return { jobId: job.id };
};
