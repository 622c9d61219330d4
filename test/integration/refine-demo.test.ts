// Caption refinement on the demo data, end to end: index, builtin features (K = 1024), a run
// keeping a quarter of the pairs, the builtin captioner (does it name what was drawn?), the
// refinement job (merge format, BLIP truncation count, resume, abort), the alignment before
// and after, and the tiny transformers.js captioner through the real loader.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCore, openCore, type CoreContext } from '../../main/core/context';
import { generateDemo, objectNouns, type DemoManifest } from '../../main/core/demo';
import { FEATURE_FILES } from '../../main/core/features/embed';
import { startEmbedJob } from '../../main/core/features/start-embed';
import { startIndexJob } from '../../main/core/ingest/index-dataset';
import { describeCoded, learnCrossFitCaptioner } from '../../main/core/refine/cross-fit-captioner';
import { defaultFolds } from '../../main/core/refine/builtin-source';
import { codedPairs } from '../../main/core/refine/dataset-codes';
import { BLIP_MAX_WORDS } from '../../main/core/refine/merge';
import { refineCaptions, type RefineSummary } from '../../main/core/refine/refine';
import { listRefined } from '../../main/core/refine/refined-store';
import { startRefineJob } from '../../main/core/refine/start-refine';
import { featureErrorSeqs, getFeatureSet } from '../../main/core/store/feature-sets';
import { iteratePairs, type StoredPair } from '../../main/core/store/pairs';
import { createRun, finishRun, keptSeqs, writeRunPairs } from '../../main/core/store/runs';
import { VectorFile } from '../../main/core/store/vectors';
import { generateTiny } from '../../native-models/generate-tiny';
import { fakeProviders } from '../unit/models/_helpers';
import { tempDir } from '../helpers/tmp';

const COUNT = 800;
const tmp = tempDir('tldr-refine-demo-');
let ctx: CoreContext;
let manifest: DemoManifest;
let datasetId: number;
let pairs: StoredPair[];

/** A run keeping the pairs `keep` says (every 4th by default). */
function makeRun(label: string, keep: (seq: number) => boolean): number {
  const set = getFeatureSet(ctx.db, datasetId, 'builtin')!;
  const run = createRun(ctx.db, { datasetId, method: 'random', label, params: {}, featureSetId: set.id });
  writeRunPairs(
    ctx.db,
    run.id,
    pairs.map((p) => ({ seq: p.seq, kept: keep(p.seq) })),
  );
  const kept = pairs.filter((p) => keep(p.seq)).length;
  finishRun(ctx.db, run.id, { state: 'done', kept, eligible: pairs.length, stats: {} });
  return run.id;
}

/** BLIP's word split, written independently of merge.ts for the demo's plain captions. */
function plainWords(s: string): number {
  return s
    .toLowerCase()
    .replace(/[.;]/g, ' ')
    .split(' ')
    .filter((w) => w !== '').length;
}

beforeAll(async () => {
  ctx = openCore(path.join(tmp.dir, 'ws'));
  const demoDir = path.join(tmp.dir, 'demo');
  manifest = await generateDemo({ outDir: demoDir, seed: 1, count: COUNT });
  const started = await startIndexJob(ctx, { path: path.join(demoDir, 'dataset') });
  expect((await ctx.jobs.wait(started.job.id)).state).toBe('done');
  datasetId = started.dataset.id;
  const embed = startEmbedJob(ctx, { datasetId, model: 'builtin', codebookSize: 1024, codebookImages: 300 });
  const embedded = await ctx.jobs.wait(embed.id);
  expect(embedded.state, embedded.error ?? '').toBe('done');
  pairs = [...iteratePairs(ctx.db, datasetId)];
}, 180_000);

afterAll(async () => {
  await closeCore(ctx);
  tmp.cleanup();
});

describe('the builtin captioner on the demo', () => {
  it('names a drawn object for most images (learned and described cross-fitted, by image)', () => {
    const set = getFeatureSet(ctx.db, datasetId, 'builtin')!;
    const codes = VectorFile.open(path.join(set.folder, FEATURE_FILES.codes));
    const failed = featureErrorSeqs(ctx.db, set.id);
    const source = () => codedPairs(ctx.db, datasetId, codes, failed);
    // The job's default: 4 folds for a dataset this small.
    const captioner = learnCrossFitCaptioner(source, {
      k: Number(set.meta.codebookSize),
      patchCount: codes.dims,
      folds: defaultFolds(pairs.length),
    });
    const byImage = new Map(manifest.items.map((it) => [it.image, it]));
    const keyOf = new Map(pairs.map((p) => [p.seq, p.key]));
    let images = 0;
    let named = 0;
    let first = 0;
    for (const p of source()) {
      const item = byImage.get(keyOf.get(p.seq)!);
      expect(item, p.imageKey).toBeDefined();
      const d = describeCoded(captioner, p.imageKey, p.codes);
      const words = new Set(d.phrase.split(' '));
      images++;
      if (item!.objects.some((o) => words.has(o.name))) named++;
      const o = item!.objects.find((x) => objectNouns(x.name).includes(d.objects[0]?.word ?? ''));
      if (o) first++;
    }
    codes.close();
    console.log(
      `builtin captioner on ${images} demo images (K = ${set.meta.codebookSize}): phrase names a drawn object ${((100 * named) / images).toFixed(1)} %, ` +
        `first object named right ${((100 * first) / images).toFixed(1)} %`,
    );
    expect(images).toBeGreaterThan(COUNT * 0.95);
    // Measured 75 % here (80 % on the 3000-image demo); "most", with a margin.
    expect(named / images).toBeGreaterThan(0.6);
  });
});

describe('refinement job', () => {
  let runId: number;
  let first: RefineSummary;

  it('refines every kept pair: original + "; " + generated, truncation counted as BLIP would cut', async () => {
    runId = makeRun('quarter', (s) => s % 4 === 0);
    const kept = [...keptSeqs(ctx.db, runId)];
    const stages = new Set<string>();
    first = await refineCaptions({
      db: ctx.db,
      workspace: ctx.workspace,
      datasetId,
      runId,
      captioner: 'builtin',
      onProgress: (p) => stages.add(p.stage),
    });
    expect(stages).toEqual(new Set(['learn', 'caption', 'alignment']));
    expect(first.kept).toBe(kept.length);
    expect(first.refined + first.failed).toBe(kept.length);
    // Only the demo's corrupt files have no features.
    expect(first.failed).toBeLessThanOrEqual(Math.ceil(COUNT * 0.01));
    expect(first.skipped).toBe(0);
    expect(first.stored).toBe(first.refined);
    const rows = listRefined(ctx.db, runId, 'builtin');
    expect(rows).toHaveLength(first.refined);
    const bySeq = new Map(pairs.map((p) => [p.seq, p]));
    let truncatedPairs = 0;
    for (const r of rows) {
      const original = bySeq.get(r.seq)!.caption ?? '';
      expect(r.generated.length).toBeGreaterThan(0);
      expect(r.merged).toBe(`${original}; ${r.generated}`);
      const cut = Math.min(
        plainWords(r.generated),
        Math.max(0, plainWords(original) + plainWords(r.generated) - BLIP_MAX_WORDS),
      );
      expect(r.truncated, r.merged).toBe(cut);
      if (cut > 0) truncatedPairs++;
    }
    expect(first.truncatedPairs).toBe(truncatedPairs);
    expect(first.empty).toBe(0);
  });

  it('scores the alignment of the refined pairs before and after', () => {
    expect(first.alignmentModel).toBe('builtin');
    expect(first.alignmentPairs).toBe(first.refined);
    expect(Number.isFinite(first.meanAlignmentBefore)).toBe(true);
    expect(Number.isFinite(first.meanAlignmentAfter)).toBe(true);
    expect(first.histogramBefore!.edges).toEqual(first.histogramAfter!.edges);
    expect(first.histogramBefore!.total).toBe(first.refined);
    expect(first.histogramAfter!.counts.reduce((a, b) => a + b, 0)).toBe(first.refined);
    console.log(
      `alignment of ${first.alignmentPairs} refined pairs: before ${first.meanAlignmentBefore.toFixed(3)}, ` +
        `after ${first.meanAlignmentAfter.toFixed(3)}`,
    );
    expect(first.meanAlignmentAfter).not.toBeCloseTo(first.meanAlignmentBefore, 4);
  });

  it('resumes: a second call refines nothing new', async () => {
    const again = await refineCaptions({
      db: ctx.db,
      workspace: ctx.workspace,
      datasetId,
      runId,
      captioner: 'builtin',
    });
    expect(again.refined).toBe(0);
    expect(again.skipped).toBe(first.refined);
    expect(again.stored).toBe(first.stored);
    expect(again.meanAlignmentAfter).toBeCloseTo(first.meanAlignmentAfter, 6);
  });

  it('stops on abort after a committed batch and resumes where it stopped, as a job', async () => {
    const run = makeRun('eighth', (s) => s % 8 === 1);
    const controller = new AbortController();
    await expect(
      refineCaptions({
        db: ctx.db,
        workspace: ctx.workspace,
        datasetId,
        runId: run,
        captioner: 'builtin',
        batch: 16,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.stage === 'caption' && p.done >= 32) controller.abort();
        },
      }),
    ).rejects.toThrow();
    const partial = listRefined(ctx.db, run, 'builtin').length;
    expect(partial).toBe(32);
    const job = startRefineJob(ctx, { runId: run, captioner: 'builtin' });
    const done = await ctx.jobs.wait(job.id);
    expect(done.state, done.error ?? '').toBe('done');
    const s = done.result as RefineSummary;
    expect(s.skipped).toBe(32);
    expect(s.refined + s.skipped + s.failed).toBe(s.kept);
  });

  it('uses a transformers.js captioner (the tiny one, through the real loader)', async () => {
    const models = tempDir('tldr-refine-models-');
    try {
      const dirs = generateTiny(models.dir);
      const run = makeRun('three', (s) => s === 2 || s === 5 || s === 9);
      const s = await refineCaptions({
        db: ctx.db,
        workspace: ctx.workspace,
        datasetId,
        runId: run,
        captioner: { model: dirs.captioner },
        providers: fakeProviders(),
      });
      expect(s.model).toBe(path.resolve(dirs.captioner));
      expect(s.refined + s.failed).toBe(3);
      const rows = listRefined(ctx.db, run, s.model);
      expect(rows.length).toBe(s.refined);
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        const original = pairs[r.seq]!.caption ?? '';
        expect(r.generated.split(/\s+/).length).toBeGreaterThanOrEqual(5);
        expect(r.merged).toBe(`${original}; ${r.generated}`);
      }
      expect(Number.isFinite(s.meanAlignmentAfter)).toBe(true);
    } finally {
      models.cleanup();
    }
  });
});
