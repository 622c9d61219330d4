// One stage of the scale-webdataset benchmark in its own process, so its peak RSS is its own:
//   node --import tsx test/bench/_scale/stage.ts <stage> '<json args>'
// stages: generate, cluster (the other 90 %'s embeddings; both untimed data preparation),
// index, embed, import, compress, export.
// Prints one JSON line as test/bench/_e2e/stage.ts does: wall and CPU seconds, peak RSS
// (getrusage), the peak RSS seen in each progress stage of the job, and the stage's result.
import { closeCore, openCore } from '../../../main/core/context';
import { startCompressJob } from '../../../main/core/compress/compress';
import { MethodSpecSchema } from '../../../main/core/compress/spec';
import { startExportJob } from '../../../main/core/export/export-job';
import { startImportJob, type ImportReport } from '../../../main/core/features/import';
import { startEmbedJob } from '../../../main/core/features/start-embed';
import { startIndexJob } from '../../../main/core/ingest/index-dataset';
import { clusterEmbeddings, generateScaleWebdataset } from './generate';
import { runJob, StageProbe } from '../_stage/probe';

const [stage, json] = process.argv.slice(2);
const args = JSON.parse(json ?? '{}') as Record<string, unknown>;

const probe = new StageProbe();

const sampleOf = () => ({ fraction: Number(args.sample), seed: Number(args.sampleSeed ?? 1) });

async function main(): Promise<unknown> {
  if (stage === 'generate') return generateScaleWebdataset(String(args.dir), { pairs: Number(args.pairs) });
  if (stage === 'cluster')
    return clusterEmbeddings(String(args.dir), String(args.workspace), Number(args.datasetId), sampleOf());
  const ctx = openCore(String(args.workspace));
  probe.watch(ctx);
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

await probe.run(String(stage), main);
