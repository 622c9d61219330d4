// Starting (or resuming) the caption-refinement job of a run.
import type { CoreContext } from '../context';
import { resolveEncoder } from '../features/start-embed';
import { UserInputError } from '../ingest/index-dataset';
import type { JobRecord } from '../jobs/runner';
import { getRun } from '../store/runs';
import { refineCaptions, type RefineOptions } from './refine';
import { captionerName } from './transformers-source';

export type RefineRequest = Omit<
  RefineOptions,
  'db' | 'workspace' | 'datasetId' | 'signal' | 'onProgress' | 'openTextEncoder'
>;

export function startRefineJob(ctx: CoreContext, req: RefineRequest): JobRecord {
  const run = getRun(ctx.db, req.runId);
  if (!run) throw new UserInputError(`no run with id ${req.runId}`);
  const model = req.captioner === 'builtin' ? 'builtin' : captionerName(req.captioner.model);
  return ctx.jobs.start(
    'refine',
    run.datasetId,
    { runId: run.id, captioner: model, resumeKey: `${run.id}:${model}` },
    (jc) =>
      refineCaptions({
        ...req,
        db: ctx.db,
        workspace: ctx.workspace,
        datasetId: run.datasetId,
        signal: jc.signal,
        openTextEncoder: (m) => resolveEncoder(m, ctx),
        onProgress: (p) =>
          jc.progress({
            stage:
              p.stage === 'learn'
                ? 'refine: learn captioner'
                : p.stage === 'caption'
                  ? 'refine: caption'
                  : 'refine: alignment',
            done: p.done,
            total: p.total,
            ...(p.message ? { message: p.message } : {}),
          }),
      }),
  );
}
