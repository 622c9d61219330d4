// One stage of the e2e benchmark in its own process, so its peak RSS is its own:
//   node --import tsx test/bench/_e2e/stage.ts <generate|index|import|compress> '<json args>'
// Prints one JSON line: wall and CPU seconds, peak RSS (getrusage), the peak RSS seen in each
// progress stage of the job (sampled every 100 ms and at each progress event), and the
// stage's result.
import { closeCore, openCore } from '../../../main/core/context';
import { startCompressJob } from '../../../main/core/compress/compress';
import { startImportJob, type ImportReport } from '../../../main/core/features/import';
import { startIndexJob } from '../../../main/core/ingest/index-dataset';
import { getRun } from '../../../main/core/store/runs';
import { generateCc3m, type Cc3mSpec } from './generate';
import { runJob, StageProbe } from '../_stage/probe';
import { TLDR_25_EMBEDDING } from '../_stage/specs';

const [stage, json] = process.argv.slice(2);
const args = JSON.parse(json ?? '{}') as Record<string, unknown>;

const probe = new StageProbe();

async function main(): Promise<unknown> {
  if (stage === 'generate') return generateCc3m(String(args.dir), args as unknown as Cc3mSpec);
  const ctx = openCore(String(args.workspace));
  probe.watch(ctx);
  try {
    if (stage === 'index') {
      const { job, dataset } = await startIndexJob(ctx, { path: String(args.tsv) });
      const r = (await runJob(ctx, job)) as { pairs: number; errors?: unknown };
      return { datasetId: dataset.id, ...r };
    }
    const datasetId = Number(args.datasetId);
    if (stage === 'import') {
      const source = {
        kind: 'npy' as const,
        image: String(args.image),
        ...(args.text ? { text: String(args.text) } : {}),
        keys: String(args.keys),
      };
      const r = (await runJob(ctx, startImportJob(ctx, { datasetId, source }))) as ImportReport;
      return r;
    }
    if (stage === 'compress') {
      const job = startCompressJob(ctx, {
        datasetId,
        model: String(args.model),
        spec: TLDR_25_EMBEDDING,
        evaluate: args.evaluate !== false,
      });
      const r = (await runJob(ctx, job)) as { runId: number; kept: number; eligible: number };
      const run = getRun(ctx.db, r.runId);
      return { ...r, evaluation: run?.evaluation };
    }
    throw new Error(`unknown stage ${stage}`);
  } finally {
    await closeCore(ctx);
  }
}

await probe.run(String(stage), main);
