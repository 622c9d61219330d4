// The pairs TiMix mixes: a run's kept pairs, or every usable pair of a dataset.
import type { CoreContext } from '../context';
import { UserInputError } from '../ingest/index-dataset';
import { getDataset, type DatasetRow } from '../store/datasets';
import type { StoredPair } from '../store/pairs';
import { getRun, keptSeqs, type RunRow } from '../store/runs';

export interface SubsetRequest {
  /** A run's kept pairs… */
  runId?: number | undefined;
  /** …or, without a run, all ok pairs of this dataset. */
  datasetId?: number | undefined;
}

export interface Subset {
  dataset: DatasetRow;
  run?: RunRow;
  /** Pair seqs, ascending. */
  seqs: Int32Array;
}

/** A pair whose image can be decoded: indexed ok and on disk. */
export function isMixable(p: StoredPair | undefined): p is StoredPair {
  return !!p && p.status === 'ok' && p.image.kind !== 'url' && p.image.kind !== 'none';
}

/** The dataset (and run) a request names, checked; no pairs read yet. */
export function subsetSource(ctx: CoreContext, req: SubsetRequest): { dataset: DatasetRow; run?: RunRow } {
  if (req.runId !== undefined) {
    const run = getRun(ctx.db, req.runId);
    if (!run) throw new UserInputError(`no run with id ${req.runId}`);
    if (run.state !== 'done') throw new UserInputError(`run ${run.id} is ${run.state}, not done`);
    if (req.datasetId !== undefined && req.datasetId !== run.datasetId)
      throw new UserInputError(`run ${run.id} belongs to dataset ${run.datasetId}, not ${req.datasetId}`);
    const dataset = getDataset(ctx.db, run.datasetId);
    if (!dataset) throw new UserInputError(`run ${run.id}: its dataset ${run.datasetId} is gone`);
    return { dataset, run };
  }
  if (req.datasetId === undefined) throw new UserInputError('give a run or a dataset to mix');
  const dataset = getDataset(ctx.db, req.datasetId);
  if (!dataset) throw new UserInputError(`no dataset with id ${req.datasetId}`);
  if (dataset.state !== 'ready')
    throw new UserInputError(`dataset ${dataset.id} is not indexed yet (${dataset.state})`);
  return { dataset };
}

export function resolveSubset(ctx: CoreContext, req: SubsetRequest): Subset {
  const { dataset, run } = subsetSource(ctx, req);
  if (run) return { dataset, run, seqs: Int32Array.from(keptSeqs(ctx.db, run.id)) };
  const where = `dataset_id = ? AND status = 'ok' AND image_kind NOT IN ('url','none')`;
  const n = (
    ctx.db.prepare(`SELECT COUNT(*) AS n FROM pairs WHERE ${where}`).get(dataset.id) as { n: number }
  ).n;
  // Plucked and iterated: no row objects for millions of pairs.
  const seqs = new Int32Array(n);
  let i = 0;
  for (const seq of ctx.db
    .prepare(`SELECT seq FROM pairs WHERE ${where} ORDER BY seq`)
    .pluck()
    .iterate(dataset.id))
    if (i < n) seqs[i++] = seq as number;
  return { dataset, seqs: seqs.subarray(0, i) };
}
