import { listExports, startExportJob, writeReport } from '../../core/export';
import type { Handler } from './types';

export const start: Handler<'exports.start'> = (ctx, input) => {
  const job = startExportJob(ctx, input);
  return { jobId: job.id, ...(job.datasetId !== null ? { datasetId: job.datasetId } : {}) };
};

export const list: Handler<'exports.list'> = (ctx, input) =>
  listExports(ctx.db, input.runId).map((e) => ({
    id: e.id,
    runId: e.runId,
    format: e.format,
    folder: e.folder,
    createdAt: e.createdAt,
  }));

export const report: Handler<'reports.write'> = (ctx, input) =>
  writeReport({
    db: ctx.db,
    workspace: ctx.workspace,
    datasetId: input.datasetId,
    runIds: input.runIds,
    ...(input.outFile ? { outFile: input.outFile } : {}),
    ...(input.overwrite !== undefined ? { overwrite: input.overwrite } : {}),
    ...(input.title ? { title: input.title } : {}),
  });
