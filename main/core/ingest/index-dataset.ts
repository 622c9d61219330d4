// Starting (or resuming) the index of a dropped folder or file as a job.
import { statSync } from 'node:fs';
import path from 'node:path';
import type { CoreContext } from '../context';
import { detectFormat } from '../dataset/detect';
import { createReader } from '../dataset/registry';
import type { Detection, FormatId } from '../dataset/types';
import type { JobRecord } from '../jobs/runner';
import {
  clearDatasetIndex,
  createDataset,
  findDatasetByRoot,
  setDatasetState,
  type DatasetRow,
} from '../store/datasets';
import { datasetCounts } from '../store/stats';
import { ingest, type IngestCheckpoint } from './ingest';

export class UserInputError extends Error {
  constructor(
    message: string,
    readonly detection?: Detection,
  ) {
    super(message);
  }
}

export interface IndexRequest {
  path: string;
  name?: string | undefined;
  format?: FormatId | undefined;
  options?: Record<string, unknown> | undefined;
  reindex?: boolean | undefined;
}

export interface IndexStarted {
  job: JobRecord;
  dataset: DatasetRow;
  detection?: Detection;
}

/** Resolves the dataset row for a path: the existing one, or a new one after detection. */
async function datasetFor(
  ctx: CoreContext,
  req: IndexRequest,
): Promise<{ dataset: DatasetRow; detection?: Detection }> {
  const dropped = path.resolve(req.path);
  try {
    statSync(dropped);
  } catch {
    throw new UserInputError(`"${req.path}" does not exist (resolved to ${dropped})`);
  }
  const known = findDatasetByRoot(ctx.db, dropped);
  if (known && !req.format) return { dataset: known };
  const detection = await detectFormat(dropped);
  const format = req.format ?? detection.format;
  if (!format) {
    throw new UserInputError(
      `could not tell which dataset format "${req.path}" is: ${detection.problem ?? 'no known layout matched'}` +
        (detection.seen.length ? `\nseen: ${detection.seen.join('; ')}` : ''),
      detection,
    );
  }
  // Detection may widen the root (a COCO captions file dropped alone → the folder above annotations/).
  const root = detection.format === format && detection.root ? detection.root : dropped;
  const existing = known ?? findDatasetByRoot(ctx.db, root);
  if (existing) return { dataset: existing, detection };
  const options = { ...(detection.format === format ? detection.options : {}), ...req.options };
  const dataset = createDataset(ctx.db, {
    name: req.name ?? path.basename(root),
    root,
    format,
    options,
    detection,
  });
  return { dataset, detection };
}

export async function startIndexJob(ctx: CoreContext, req: IndexRequest): Promise<IndexStarted> {
  const { dataset, detection } = await datasetFor(ctx, req);
  if (req.reindex) clearDatasetIndex(ctx.db, dataset.id);
  else if (dataset.state === 'ready') {
    // Already indexed: the files are read in place and never change under us, so there is
    // nothing to add (--reindex starts over).
    const job = ctx.jobs.start(
      'ingest',
      dataset.id,
      { path: dataset.root, resumeKey: `noop-${Date.now()}` },
      async () => ({
        datasetId: dataset.id,
        added: 0,
        resumedFrom: dataset.pairs,
        ...datasetCounts(ctx.db, dataset.id),
      }),
    );
    return { job, dataset, ...(detection ? { detection } : {}) };
  }
  const reader = createReader(dataset.format, dataset.options);
  const job = ctx.jobs.start(
    'ingest',
    dataset.id,
    { path: dataset.root, format: dataset.format },
    async (jc) => {
      setDatasetState(ctx.db, dataset.id, 'indexing');
      try {
        const r = await ingest({
          db: ctx.db,
          datasetId: dataset.id,
          root: dataset.root,
          reader,
          checkpoint: jc.checkpoint as IngestCheckpoint | undefined,
          saveCheckpoint: (cp) => jc.saveCheckpoint(cp),
          signal: jc.signal,
          onProgress: (p) =>
            jc.progress({ stage: 'index', done: p.done, ...(p.total ? { total: p.total } : {}) }),
        });
        setDatasetState(ctx.db, dataset.id, 'ready');
        const counts = datasetCounts(ctx.db, dataset.id);
        jc.progress({ stage: 'index', done: counts.pairs, total: counts.pairs });
        return { datasetId: dataset.id, added: r.added, resumedFrom: r.resumedFrom, ...counts };
      } catch (e) {
        setDatasetState(ctx.db, dataset.id, 'failed');
        throw e;
      }
    },
  );
  return { job, dataset, ...(detection ? { detection } : {}) };
}
