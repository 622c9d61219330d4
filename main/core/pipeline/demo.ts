// The README's main job on the bundled demo data: generate it (deterministic by seed)
// in the workspace, then index it. Later stages (features, methods, exports) hang here.
import path from 'node:path';
import type { CoreContext } from '../context';
import { generateDemo } from '../demo/generate';
import { startIndexJob } from '../ingest/index-dataset';
import type { JobRecord } from '../jobs/runner';

export interface DemoRequest {
  seed: number;
  count: number;
}

export function demoFolder(ctx: CoreContext, req: DemoRequest): string {
  return path.join(ctx.workspace, 'demo', `seed-${req.seed}-n${req.count}`);
}

export function startDemoJob(ctx: CoreContext, req: DemoRequest): JobRecord {
  return ctx.jobs.start('demo', null, { ...req, resumeKey: `${req.seed}/${req.count}` }, async (jc) => {
    const outDir = demoFolder(ctx, req);
    jc.progress({ stage: 'generate', done: 0, total: req.count });
    const manifest = await generateDemo({
      outDir,
      seed: req.seed,
      count: req.count,
      onProgress: (done: number) => jc.progress({ stage: 'generate', done, total: req.count }),
      signal: jc.signal,
    });
    jc.throwIfCancelled();
    const started = await startIndexJob(ctx, {
      path: path.join(outDir, 'dataset'),
      name: `demo (seed ${req.seed})`,
    });
    const onCancel = () => ctx.jobs.cancel(started.job.id);
    jc.signal.addEventListener('abort', onCancel);
    const indexed = await ctx.jobs.wait(started.job.id);
    jc.signal.removeEventListener('abort', onCancel);
    jc.throwIfCancelled();
    if (indexed.state !== 'done')
      throw new Error(`indexing the demo data ${indexed.state}: ${indexed.error ?? ''}`);
    return {
      datasetId: started.dataset.id,
      folder: outDir,
      manifest: path.join(outDir, 'demo-manifest.json'),
      planted: manifest.summary,
      index: indexed.result,
    };
  });
}
