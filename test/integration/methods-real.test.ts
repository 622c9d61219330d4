// Every selection method end to end on real image-caption data (../shared/data/
// llava-pretrain-2k, 2,183 pairs), judged side by side with every metric.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCore, openCore, type CoreContext } from '../../main/core/context';
import { compareRuns } from '../../main/core/compress/compare';
import { startCompressJob } from '../../main/core/compress/compress';
import type { RunEvaluation } from '../../main/core/compress/evaluate-run';
import { MethodSpecSchema, type MethodSpecInput } from '../../main/core/compress/spec';
import { startEmbedJob } from '../../main/core/features/start-embed';
import { startIndexJob } from '../../main/core/ingest/index-dataset';
import { getRun, type RunRow } from '../../main/core/store/runs';
import { tempDir } from '../helpers/tmp';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const llava = path.resolve(repoRoot, '../shared/data/llava-pretrain-2k');
const present = existsSync(path.join(llava, 'captions.tsv'));
if (!present)
  console.warn(`methods-real: skipped, ${llava} is absent (the shared data folder is not next to the repo)`);

const METRICS = [
  'R@1 image→text',
  'R@5 text→image',
  'R@10 image→text',
  'coverage (k=5)',
  'density (k=5)',
  'cluster-occupancy entropy',
  'near-duplicate rate',
  'vocabulary size',
  'word-frequency entropy (bits)',
  'pairs kept',
  'bytes kept',
  'est. pre-training time ratio',
  'mean alignment score',
];

describe.skipIf(!present)('every method on real data: llava-pretrain-2k (builtin features)', () => {
  const t = tempDir('tldr-methods-real-');
  let ctx: CoreContext;
  let datasetId: number;
  beforeAll(async () => {
    ctx = openCore(path.join(t.dir, 'ws'));
    const { job, dataset } = await startIndexJob(ctx, { path: llava });
    const indexed = await ctx.jobs.wait(job.id);
    if (indexed.state !== 'done') throw new Error(`index ${indexed.state}: ${indexed.error}`);
    datasetId = dataset.id;
    // A small codebook keeps the embed job short; the methods are what this test is about.
    const e = startEmbedJob(ctx, { datasetId, model: 'builtin', codebookSize: 256, codebookImages: 400 });
    const embedded = await ctx.jobs.wait(e.id);
    if (embedded.state !== 'done') throw new Error(`embed ${embedded.state}: ${embedded.error}`);
  });
  afterAll(async () => {
    if (ctx) await closeCore(ctx);
    t.cleanup();
  });

  async function compress(spec: MethodSpecInput): Promise<RunRow> {
    const job = startCompressJob(ctx, { datasetId, spec: MethodSpecSchema.parse(spec) });
    const done = await ctx.jobs.wait(job.id);
    expect(done.state, `${JSON.stringify(spec)}: ${done.error ?? ''}`).toBe('done');
    return getRun(ctx.db, (done.result as { runId: number }).runId)!;
  }
  const coverage = (r: RunRow) =>
    (r.evaluation as RunEvaluation).metrics.find((m) => m.name === 'coverage (k=5)')!.value;

  it('runs every method and composition; the table has every metric for each; TL;DR covers more than random', async () => {
    const quarter = { ratio: 0.25 };
    const randoms = [];
    for (const seed of [1, 2, 3]) randoms.push(await compress({ method: 'random', budget: quarter, seed }));
    // Faithful TL;DR: code-index sequences, K = 1000, stride, ∩ top alignment.
    const faithful = await compress({ method: 'tldr', budget: quarter });
    // The better mode: clusters of the image embedding, K = the budget, the member nearest each centroid.
    const better = await compress({
      method: 'tldr',
      budget: quarter,
      features: 'embedding',
      pick: 'centroid-nearest',
      clusters: Math.round(faithful.eligible * 0.25),
      exactBudget: true,
    });
    const others = [];
    for (const spec of [
      { method: 'first-k', budget: quarter },
      { method: 'wfpp', budget: { ratio: 0.5 } },
      { method: 'alignment', budget: { ratio: 0.3 } },
      { method: 'semdedup', embedding: 'layout', epsilons: [0.0125, 0.05], clusters: 20 },
      { method: 'prototypicality', budget: { ratio: 0.5 }, clusters: 20 },
      { method: 'density', budget: { ratio: 0.5 }, clusters: 20 },
      {
        method: 'pipeline',
        mode: 'sequential',
        steps: [
          { method: 'semdedup', epsilons: [0.05], clusters: 20 },
          { method: 'tldr', budget: quarter, clusters: 50 },
        ],
      },
    ] as MethodSpecInput[])
      others.push(await compress(spec));

    const runs = [...randoms, faithful, better, ...others];
    for (const r of runs) {
      expect(r.kept).toBeGreaterThan(0);
      expect(r.kept).toBeLessThanOrEqual(r.eligible);
    }
    const table = compareRuns(runs);
    for (const name of METRICS) {
      const row = table.rows.find((r) => r.name === name);
      expect(row, name).toBeDefined();
      row!.cells.forEach((c, i) => expect(c, `${name} of ${runs[i]!.label}`).not.toBeNull());
    }

    // Coverage is noisy at 2k pairs: random's spread over seeds is ±0.015. The better mode
    // must beat every random seed; measured 0.934 against 0.813–0.857 over 6 random seeds.
    // The faithful recipe is reported, not asserted: at this scale it is no better than
    // random (0.834 vs a random mean of 0.835).
    const rnd = randoms.map(coverage);
    console.log(
      `coverage at 25 %: random ${rnd.map((v) => v.toFixed(3)).join(' ')}, TL;DR faithful ${coverage(faithful).toFixed(3)}, TL;DR embedding/centroid-nearest ${coverage(better).toFixed(3)}`,
    );
    expect(coverage(better)).toBeGreaterThan(Math.max(...rnd));
  });
});
