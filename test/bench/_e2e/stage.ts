// One stage of the e2e benchmark in its own process, so its peak RSS is its own:
//   node --import tsx test/bench/_e2e/stage.ts <generate|index|import|compress> '<json args>'
// Prints one JSON line: wall and CPU seconds, peak RSS (getrusage), the peak RSS seen in each
// progress stage of the job (sampled every 100 ms and at each progress event), and the
// stage's result.
import { closeCore, openCore, type CoreContext } from '../../../main/core/context';
import { startCompressJob } from '../../../main/core/compress/compress';
import { startImportJob, type ImportReport } from '../../../main/core/features/import';
import { startIndexJob } from '../../../main/core/ingest/index-dataset';
import type { JobRecord } from '../../../main/core/jobs/runner';
import { getRun } from '../../../main/core/store/runs';
import { generateCc3m, type Cc3mSpec } from './generate';

const [stage, json] = process.argv.slice(2);
const args = JSON.parse(json ?? '{}') as Record<string, unknown>;

const MB = 2 ** 20;
const peaks: Record<string, { rssMB: number; arrayBuffersMB: number; heapMB: number }> = {};
let current = 'setup';
/** Seconds from the stage's start at which each job progress stage was first seen. */
const stageStarts: Record<string, number> = {};
const started = performance.now();
function sample(): void {
  const m = process.memoryUsage();
  const p = (peaks[current] ??= { rssMB: 0, arrayBuffersMB: 0, heapMB: 0 });
  p.rssMB = Math.max(p.rssMB, Math.round(m.rss / MB));
  p.arrayBuffersMB = Math.max(p.arrayBuffersMB, Math.round(m.arrayBuffers / MB));
  p.heapMB = Math.max(p.heapMB, Math.round(m.heapUsed / MB));
}
const timer = setInterval(sample, 100);

function watch(ctx: CoreContext): void {
  ctx.jobs.on('job', (r: JobRecord) => {
    sample();
    if (r.progress?.stage && r.progress.stage !== current) {
      current = r.progress.stage;
      stageStarts[current] ??= Math.round((performance.now() - started) / 100) / 10;
      sample();
    }
  });
}

async function runJob(ctx: CoreContext, job: JobRecord): Promise<unknown> {
  const done = await ctx.jobs.wait(job.id);
  if (done.state !== 'done') throw new Error(`${job.kind} ${done.state}: ${done.error}`);
  return done.result;
}

async function main(): Promise<unknown> {
  if (stage === 'generate') return generateCc3m(String(args.dir), args as unknown as Cc3mSpec);
  const ctx = openCore(String(args.workspace));
  watch(ctx);
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
        spec: {
          method: 'tldr',
          budget: { ratio: 0.25 },
          features: 'embedding',
          clusters: 1000,
          iterations: 20,
          pick: 'stride',
          exactBudget: false,
          seed: 1,
        },
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

const t0 = performance.now();
const result = await main();
const seconds = (performance.now() - t0) / 1000;
sample();
clearInterval(timer);
console.log(
  JSON.stringify({
    stage,
    seconds,
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    // CPU seconds (user + system): on a shared machine wall time alone says little.
    cpuSeconds: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1e6,
    peaks,
    stageStarts,
    result,
  }),
);
