// A small demo dataset, indexed and embedded with the builtin model, in a temp workspace:
// the fixture of the pipeline tests. Built once per test file (about half a minute).
import path from 'node:path';
import { openCore, type CoreContext } from '../../main/core/context';
import { generateDemo } from '../../main/core/demo';
import type { DemoManifest } from '../../main/core/demo/manifest';
import { startEmbedJob } from '../../main/core/features/start-embed';
import { startIndexJob } from '../../main/core/ingest/index-dataset';

export interface DemoWorkspace {
  ctx: CoreContext;
  datasetId: number;
  manifest: DemoManifest;
  /** Pair seq of each manifest key. */
  seqOfKey: Map<string, number>;
}

export async function buildDemoWorkspace(
  dir: string,
  count = 600,
  opts: { embed?: boolean } = {},
): Promise<DemoWorkspace> {
  const manifest = await generateDemo({ outDir: path.join(dir, 'demo'), seed: 7, count });
  const ctx = openCore(path.join(dir, 'ws'));
  const { job, dataset } = await startIndexJob(ctx, { path: path.join(dir, 'demo', 'dataset') });
  const indexed = await ctx.jobs.wait(job.id);
  if (indexed.state !== 'done') throw new Error(`index ${indexed.state}: ${indexed.error}`);
  if (opts.embed !== false) {
    const e = startEmbedJob(ctx, {
      datasetId: dataset.id,
      model: 'builtin',
      codebookSize: 128,
      codebookImages: 400,
    });
    const embedded = await ctx.jobs.wait(e.id);
    if (embedded.state !== 'done') throw new Error(`embed ${embedded.state}: ${embedded.error}`);
  }
  const rows = ctx.db.prepare(`SELECT seq, key FROM pairs WHERE dataset_id = ?`).all(dataset.id) as {
    seq: number;
    key: string;
  }[];
  const bySource = new Map(rows.map((r) => [r.key, r.seq]));
  const seqOfKey = new Map<string, number>();
  for (const it of manifest.items) {
    const s = bySource.get(it.image);
    if (s !== undefined) seqOfKey.set(it.key, s);
  }
  return { ctx, datasetId: dataset.id, manifest, seqOfKey };
}
