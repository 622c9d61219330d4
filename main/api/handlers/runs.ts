import { compareRuns } from '../../core/compress/compare';
import { startCompressJob } from '../../core/compress/compress';
import { runMap } from '../../core/compress/run-map';
import { startRefineJob } from '../../core/refine';
import type { CoreContext } from '../../core/context';
import { getRun, listRuns, type RunRow } from '../../core/store/runs';
import { toStoredPair } from '../../core/store/pairs';
import { ApiError } from '../contract';
import type { RunDto } from '../schemas';
import { requireDataset } from './datasets';
import { pairDto } from './dto';
import type { Handler } from './types';

function runDto(r: RunRow): RunDto {
  return {
    id: r.id,
    datasetId: r.datasetId,
    method: r.method,
    label: r.label,
    params: r.params,
    state: r.state,
    kept: r.kept,
    eligible: r.eligible,
    stats: r.stats,
    evaluation: r.evaluation ?? null,
    createdAt: r.createdAt,
  };
}

function requireRun(ctx: CoreContext, id: number): RunRow {
  const r = getRun(ctx.db, id);
  if (!r) throw new ApiError('not_found', `no run with id ${id}`);
  return r;
}

export const compress: Handler<'runs.compress'> = (ctx, input) => {
  requireDataset(ctx, input.datasetId);
  const job = startCompressJob(ctx, {
    datasetId: input.datasetId,
    spec: input.spec,
    model: input.model ?? 'builtin',
    ...(input.label ? { label: input.label } : {}),
    ...(input.heldOutFraction !== undefined ? { heldOutFraction: input.heldOutFraction } : {}),
    ...(input.heldOutSeed !== undefined ? { heldOutSeed: input.heldOutSeed } : {}),
    ...(input.evaluate !== undefined ? { evaluate: input.evaluate } : {}),
  });
  return { jobId: job.id, datasetId: input.datasetId };
};

export const list: Handler<'runs.list'> = (ctx, input) => listRuns(ctx.db, input.datasetId).map(runDto);

export const get: Handler<'runs.get'> = (ctx, input) => runDto(requireRun(ctx, input.runId));

export const compare: Handler<'runs.compare'> = (ctx, input) =>
  compareRuns(input.runIds.map((id) => requireRun(ctx, id)));

export const map: Handler<'runs.map'> = (ctx, input) =>
  runMap(
    ctx,
    input.runIds.map((id) => requireRun(ctx, id)),
    { sample: input.sample ?? 3000, seed: input.seed ?? 1 },
  );

export const pairs: Handler<'runs.pairs'> = (ctx, input) => {
  const run = requireRun(ctx, input.runId);
  const kept = input.kept ? 1 : 0;
  const total = (
    ctx.db.prepare(`SELECT COUNT(*) AS n FROM run_pairs WHERE run_id = ? AND kept = ?`).get(run.id, kept) as {
      n: number;
    }
  ).n;
  const rows = ctx.db
    .prepare(
      `SELECT p.*, r.reason AS run_reason, r.score AS run_score FROM run_pairs r
       JOIN pairs p ON p.dataset_id = ? AND p.seq = r.seq
       WHERE r.run_id = ? AND r.kept = ? ORDER BY r.seq LIMIT ? OFFSET ?`,
    )
    .all(run.datasetId, run.id, kept, input.limit ?? 100, input.offset ?? 0) as (Parameters<
    typeof toStoredPair
  >[0] & {
    run_reason: string | null;
    run_score: number | null;
  })[];
  return {
    total,
    items: rows.map((r) => ({ ...pairDto(toStoredPair(r)), reason: r.run_reason, score: r.run_score })),
  };
};

export const refine: Handler<'runs.refine'> = (ctx, input) => {
  const captioner = input.captioner ?? 'builtin';
  const job = startRefineJob(ctx, {
    runId: input.runId,
    captioner: captioner === 'builtin' ? 'builtin' : { model: captioner },
  });
  return { jobId: job.id, ...(job.datasetId !== null ? { datasetId: job.datasetId } : {}) };
};
