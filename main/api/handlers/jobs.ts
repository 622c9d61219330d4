import { ApiError } from '../contract';
import { jobDto } from './dto';
import type { Handler } from './types';

export const list: Handler<'jobs.list'> = (ctx) => ctx.jobs.list().map(jobDto);

export const get: Handler<'jobs.get'> = (ctx, input) => {
  const j = ctx.jobs.get(input.jobId);
  if (!j) throw new ApiError('not_found', `no job with id ${input.jobId}`);
  return jobDto(j);
};

export const cancel: Handler<'jobs.cancel'> = (ctx, input) => ({ cancelled: ctx.jobs.cancel(input.jobId) });
