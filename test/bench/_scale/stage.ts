// One stage of the scale-webdataset benchmark in its own process, so its peak RSS is its own:
//   node --import tsx test/bench/_scale/stage.ts <stage> '<json args>'
// stages: generate, cluster (the other 90 %'s embeddings; both untimed data preparation),
// index, embed, import, compress, export.
// Prints one JSON line as test/bench/_e2e/stage.ts does: wall and CPU seconds, peak RSS
// (getrusage), the peak RSS seen in each progress stage of the job, and the stage's result.
import { closeCore, openCore, type CoreContext } from '../../../main/core/context';
import { startCompressJob } from '../../../main/core/compress/compress';
import { MethodSpecSchema } from '../../../main/core/compress/spec';
import { startExportJob } from '../../../main/core/export/export-job';
import { startImportJob, type ImportReport } from '../../../main/core/features/import';
import { startEmbedJob } from '../../../main/core/features/start-embed';
import { startIndexJob } from '../../../main/core/ingest/index-dataset';
import type { JobRecord } from '../../../main/core/jobs/runner';
import { clusterEmbeddings, generateScaleWebdataset } from './generate';

const [stage, json] = process.argv.slice(2);
const args = JSON.parse(json ?? '{}') as Record<string, unknown>;

const MB = 2 ** 20;
const peaks: Record<string, { rssMB: number; arrayBuffersMB: number; heapMB: number }> = {};
let current = 'setup';
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
    // Stage names only (embed's "codebook: k-means", not its per-iteration messages).
    const name = r.progress?.stage;
    if (name && name !== current) {
      current = name;
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

const sampleOf = () => ({ fraction: Number(args.sample), seed: Number(args.sampleSeed ?? 1) });

async function main(): Promise<unknown> {
  if (stage === 'generate') return generateScaleWebdataset(String(args.dir), { pairs: Number(args.pairs) });
  if (stage === 'cluster')
    return clusterEmbeddings(String(args.dir), String(args.workspace), Number(args.datasetId), sampleOf());
  const ctx = openCore(String(args.workspace));
  watch(ctx);
  try {
    if (stage === 'index') {
      const { job, dataset } = await startIndexJob(ctx, { path: String(args.shards), format: 'webdataset' });
      const r = (await runJob(ctx, job)) as { pairs: number; errors?: unknown };
      return { datasetId: dataset.id, ...r };
    }
    const datasetId = Number(args.datasetId);
    if (stage === 'embed') {
      const s = sampleOf();
      const job = startEmbedJob(ctx, { datasetId, model: 'builtin', sample: s.fraction, sampleSeed: s.seed });
      return await runJob(ctx, job);
    }
    if (stage === 'import') {
      const source = {
        kind: 'npy' as const,
        image: String(args.image),
        text: String(args.text),
        keys: String(args.keys),
      };
      return (await runJob(ctx, startImportJob(ctx, { datasetId, source, into: 'builtin' }))) as ImportReport;
    }
    if (stage === 'compress') {
      const job = startCompressJob(ctx, {
        datasetId,
        model: 'builtin',
        spec: MethodSpecSchema.parse(args.spec),
        label: String(args.label),
        evaluate: false,
      });
      return await runJob(ctx, job);
    }
    if (stage === 'export') {
      const job = startExportJob(ctx, {
        runId: Number(args.runId),
        format: 'webdataset',
        outDir: String(args.out),
      });
      return await runJob(ctx, job);
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
// The JS heap the process still holds after the stage (core closed, garbage collected): a
// leak outside the job's own lifetime shows here; peak heap above includes garbage.
(globalThis as { gc?: () => void }).gc?.();
const heapAfterGcMB = Math.round(process.memoryUsage().heapUsed / MB);
const ru = process.resourceUsage();
console.log(
  JSON.stringify({
    stage,
    seconds,
    maxRssMB: Math.round(ru.maxRSS / 1024),
    cpuSeconds: (ru.userCPUTime + ru.systemCPUTime) / 1e6,
    heapAfterGcMB,
    peaks,
    stageStarts,
    result,
  }),
);
