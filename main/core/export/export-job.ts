// An export as a job: progress events, cancel (the partial folder is removed), result in
// the job record. Each export is a new folder, so it is never "resumed": a unique key.
import type { CoreContext } from '../context';
import { UserInputError } from '../ingest/index-dataset';
import type { JobRecord } from '../jobs/runner';
import { getRun } from '../store/runs';
import { exportRun } from './export-run';
import { faultIoFromEnv } from './fault-io';
import type { ExportRunOptions } from './types';

export type ExportRequest = Omit<
  ExportRunOptions,
  'db' | 'workspace' | 'signal' | 'onProgress' | 'io' | 'now' | 'onStaging'
>;

export interface ExportJobResult {
  exportId: number;
  folder: string;
  format: string;
  kept: number;
  written: number;
  skipped: number;
  skippedByReason: Record<string, number>;
}

export function startExportJob(ctx: CoreContext, req: ExportRequest): JobRecord {
  const run = getRun(ctx.db, req.runId);
  if (!run) throw new UserInputError(`no run with id ${req.runId}`);
  if (run.state !== 'done')
    throw new UserInputError(
      `run ${run.id} (${run.label}) is ${run.state}; only a finished run can be exported`,
    );
  return ctx.jobs.start(
    'export',
    run.datasetId,
    {
      resumeKey: `${Date.now()}-${Math.random()}`,
      runId: run.id,
      format: req.format,
      outDir: req.outDir ?? null,
    },
    async (jc): Promise<ExportJobResult> => {
      const r = await exportRun({
        ...req,
        db: ctx.db,
        workspace: ctx.workspace,
        signal: jc.signal,
        io: faultIoFromEnv(),
        onStaging: (partial) => jc.saveCheckpoint({ partial }),
        onProgress: (p) =>
          jc.progress({
            stage: p.stage === 'write' ? 'export' : `export ${p.stage}`,
            done: p.done,
            total: p.total,
          }),
      });
      return {
        exportId: r.exportId,
        folder: r.folder,
        format: r.format,
        kept: r.kept,
        written: r.written,
        skipped: r.skipped,
        skippedByReason: r.skippedByReason,
      };
    },
  );
}
