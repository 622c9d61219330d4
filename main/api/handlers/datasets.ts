import { detectFormat } from '../../core/dataset/detect';
import { startIndexJob } from '../../core/ingest/index-dataset';
import { deleteDataset, getDataset, listDatasets } from '../../core/store/datasets';
import { queryPairs } from '../../core/store/pairs';
import { datasetCounts, datasetHistograms } from '../../core/store/stats';
import type { CoreContext } from '../../core/context';
import { ApiError } from '../contract';
import { datasetDto, pairDto } from './dto';
import type { Handler } from './types';
import path from 'node:path';

export function requireDataset(ctx: CoreContext, id: number) {
  const d = getDataset(ctx.db, id);
  if (!d) throw new ApiError('not_found', `no dataset with id ${id}`);
  return d;
}

export const detect: Handler<'datasets.detect'> = (_ctx, input) => detectFormat(path.resolve(input.path));

export const index: Handler<'datasets.index'> = async (ctx, input) => {
  const r = await startIndexJob(ctx, input);
  return { jobId: r.job.id, datasetId: r.dataset.id };
};

export const list: Handler<'datasets.list'> = (ctx) => listDatasets(ctx.db).map(datasetDto);

export const info: Handler<'datasets.info'> = (ctx, input) => {
  const d = requireDataset(ctx, input.datasetId);
  return { dataset: datasetDto(d), ...datasetCounts(ctx.db, d.id), ...datasetHistograms(ctx.db, d.id) };
};

export const pairs: Handler<'datasets.pairs'> = (ctx, input) => {
  requireDataset(ctx, input.datasetId);
  const r = queryPairs(ctx.db, input.datasetId, {
    offset: input.offset ?? 0,
    limit: input.limit ?? 100,
    status: input.status,
    errorKind: input.errorKind,
    search: input.search,
  });
  return { total: r.total, items: r.items.map(pairDto) };
};

export const remove: Handler<'datasets.remove'> = (ctx, input) => ({
  removed: deleteDataset(ctx.db, input.datasetId),
});
