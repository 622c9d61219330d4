// TiMix on the demo data, end to end: index, builtin features, saliency against the drawn
// objects, the recipe (deterministic by seed), materialised shards, runs, preview.
import { createReadStream, existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { extract } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCore, openCore, type CoreContext } from '../../main/core/context';
import { generateDemo, objectNouns, type DemoManifest } from '../../main/core/demo';
import { startEmbedJob } from '../../main/core/features/start-embed';
import { readImageBytes } from '../../main/core/image/read-bytes';
import { startIndexJob } from '../../main/core/ingest/index-dataset';
import { getDataset, type DatasetRow } from '../../main/core/store/datasets';
import { iteratePairs, type StoredPair } from '../../main/core/store/pairs';
import { createRun, finishRun, writeRunPairs } from '../../main/core/store/runs';
import { windowToTrainingPixels } from '../../main/core/timix/geometry';
import { decodeForMix } from '../../main/core/timix/materialize';
import { loadTimixPreview } from '../../main/core/timix/preview-loader';
import type { RecipeBatch } from '../../main/core/timix/recipe';
import { openSaliencySource } from '../../main/core/timix/saliency-source';
import { startTimixJob, type TimixExportResult } from '../../main/core/timix/export-job';
import { tempDir } from '../helpers/tmp';

const COUNT = 600;
const tmp = tempDir('tldr-timix-demo-');
let ctx: CoreContext;
let manifest: DemoManifest;
let dataset: DatasetRow;
let pairs: StoredPair[];

async function exportTimix(req: Parameters<typeof startTimixJob>[1]): Promise<TimixExportResult> {
  const job = startTimixJob(ctx, req);
  const done = await ctx.jobs.wait(job.id);
  if (done.state !== 'done') throw new Error(`timix job ${done.state}: ${done.error}`);
  return done.result as TimixExportResult;
}

beforeAll(async () => {
  ctx = openCore(path.join(tmp.dir, 'ws'));
  const demoDir = path.join(tmp.dir, 'demo');
  manifest = await generateDemo({ outDir: demoDir, seed: 1, count: COUNT });
  const started = await startIndexJob(ctx, { path: path.join(demoDir, 'dataset') });
  const indexed = await ctx.jobs.wait(started.job.id);
  expect(indexed.state).toBe('done');
  const embed = startEmbedJob(ctx, { datasetId: started.dataset.id, model: 'builtin', codebookSize: 256 });
  const embedded = await ctx.jobs.wait(embed.id);
  expect(embedded.state, embedded.error ?? '').toBe('done');
  dataset = getDataset(ctx.db, started.dataset.id)!;
  pairs = [...iteratePairs(ctx.db, dataset.id)];
}, 120_000);

afterAll(async () => {
  await closeCore(ctx);
  tmp.cleanup();
});

describe('TiMix on the demo data', () => {
  it('puts more builtin saliency on the drawn object than on the background when the caption names it', async () => {
    const byImage = new Map(pairs.map((p) => [p.image.kind === 'file' ? p.image.path : '', p]));
    const scenes = manifest.items.filter(
      (it) =>
        it.plant === 'none' &&
        it.width === 224 &&
        it.height === 224 &&
        it.objects.some((o) => objectNouns(o.name).some((w) => it.caption.toLowerCase().includes(w))),
    );
    expect(scenes.length).toBeGreaterThan(300);
    const src = await openSaliencySource(ctx, dataset, 'builtin');
    const maps = await src.maps(scenes.map((it) => byImage.get(it.image)!));
    await src.close();
    let better = 0;
    let scored = 0;
    let massOnObjects = 0;
    scenes.forEach((it, i) => {
      const m = maps[i];
      if (!m) return;
      // a patch is "object" when its centre lies in a named object's box
      const named = it.objects.filter((o) =>
        objectNouns(o.name).some((w) => it.caption.toLowerCase().includes(w)),
      );
      let obj = 0;
      let nObj = 0;
      let bg = 0;
      let nBg = 0;
      for (let r = 0; r < 16; r++)
        for (let c = 0; c < 16; c++) {
          const x = c * 14 + 7;
          const y = r * 14 + 7;
          const inside = named.some(
            (o) => x >= o.box.x && x < o.box.x + o.box.width && y >= o.box.y && y < o.box.y + o.box.height,
          );
          const v = m[r * 16 + c]!;
          if (inside) {
            obj += v;
            nObj++;
          } else {
            bg += v;
            nBg++;
          }
        }
      if (nObj === 0 || nBg === 0) return;
      scored++;
      massOnObjects += obj / nObj - bg / nBg;
      if (obj / nObj > bg / nBg) better++;
    });
    console.log(
      `timix saliency: object > background in ${better}/${scored} scenes (${((100 * better) / scored).toFixed(1)} %), ` +
        `mean z difference ${(massOnObjects / scored).toFixed(2)}`,
    );
    // 600 images and K = 256 give a weaker association than a full demo (measured: 88.8 %; 91 % with
    // K = 1024); misses are mostly captions that also name a drawn background part ("on a table").
    expect(scored).toBeGreaterThan(300);
    // "Most" scenes: measured 77–91 % depending on the codebook (K) and the k-means seeding,
    // so the bar is a clear majority, not a tuned number.
    expect(better / scored).toBeGreaterThan(0.7);
  });

  it('exports a recipe and PNG shards whose pasted windows are exactly the source’s pixels', async () => {
    const out = path.join(tmp.dir, 'mix-a');
    const r = await exportTimix({
      datasetId: dataset.id,
      out,
      seed: 7,
      batchSize: 31,
      materialize: true,
      images: { format: 'png', samplesPerShard: 200 },
    });
    expect(r.folder).toBe(out);
    expect(readdirSync(path.dirname(out)).filter((f) => f.includes('.partial-'))).toEqual([]);
    const ok = pairs.filter((p) => p.status === 'ok').length;
    expect(r.samples + (r.skipped.no_saliency ?? 0) + (r.skipped.unreadable_image ?? 0)).toBe(ok);
    expect(r.samples).toBeGreaterThan(COUNT * 0.98);
    expect(r.batches).toBe(Math.ceil(r.pairs / 31));
    expect(r.images!.written).toBe(r.samples);
    expect(readdirSync(path.join(out, 'shards')).sort()).toEqual([
      '00000.tar',
      '00001.tar',
      '00002.tar',
      'sizes.json',
    ]);

    const man = JSON.parse(readFileSync(r.manifest, 'utf8')) as Record<string, unknown>;
    expect(man).toMatchObject({
      format: 'tldr-studio-timix',
      model: 'builtin',
      parameters: { seed: 7, batchSize: 31, squareSizes: [5, 6, 7, 8, 9, 10, 11, 12] },
      schedule: { epochs: 30, mixEpochs: [0, 19], rampEpochs: 1 },
      source: { datasetId: dataset.id },
    });
    const recipe = JSON.parse(readFileSync(r.recipe, 'utf8')) as { batches: RecipeBatch[]; counts: unknown };
    expect(recipe.batches).toHaveLength(r.batches);
    expect(recipe.counts).toMatchObject({ samples: r.samples });
    const samples = recipe.batches.flatMap((b) => b.samples);
    expect(new Set(samples.map((s) => s.target.seq)).size).toBe(r.samples);

    // the first 12 samples of shard 0, against both images decoded at the training size
    const bySeq = new Map(pairs.map((p) => [p.seq, p]));
    const ex = extract();
    createReadStream(path.join(out, 'shards', '00000.tar')).pipe(ex);
    let checked = 0;
    for await (const entry of ex) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      if (!entry.header.name.endsWith('.png') || checked >= 12) continue;
      const key = entry.header.name.slice(0, -4);
      const s = samples.find((x) => x.key === key)!;
      const raw = await sharp(Buffer.concat(chunks)).removeAlpha().raw().toBuffer();
      const load = async (seq: number) =>
        decodeForMix(await readImageBytes(dataset.root, bySeq.get(seq)!.image), 224);
      const [t, src] = await Promise.all([load(s.target.seq), load(s.source.seq)]);
      const tb = windowToTrainingPixels(s.target.window, 224, 16);
      const sb = windowToTrainingPixels(s.source.window, 224, 16);
      let diff = 0;
      for (let y = 0; y < 224; y++)
        for (let x = 0; x < 224; x++) {
          const inWin = x >= tb.left && x < tb.left + tb.width && y >= tb.top && y < tb.top + tb.height;
          const from = inWin ? ((sb.top + y - tb.top) * 224 + sb.left + x - tb.left) * 3 : (y * 224 + x) * 3;
          const want = inWin ? src : t;
          for (let k = 0; k < 3; k++) if (raw[(y * 224 + x) * 3 + k] !== want[from + k]) diff++;
        }
      expect(diff).toBe(0);
      checked++;
    }
    expect(checked).toBe(12);
  });

  it('gives the identical recipe for the same seed, a different one for another, and never overwrites', async () => {
    const a = await exportTimix({ datasetId: dataset.id, out: path.join(tmp.dir, 'det-a'), seed: 3 });
    const b = await exportTimix({ datasetId: dataset.id, out: path.join(tmp.dir, 'det-b'), seed: 3 });
    const c = await exportTimix({ datasetId: dataset.id, out: path.join(tmp.dir, 'det-c'), seed: 4 });
    const read = (x: TimixExportResult) => readFileSync(x.recipe, 'utf8');
    expect(read(a)).toBe(read(b));
    expect(read(c)).not.toBe(read(a));
    expect(existsSync(path.join(a.folder, 'shards'))).toBe(false);
    expect(() => startTimixJob(ctx, { datasetId: dataset.id, out: a.folder })).toThrow(/exists/);
  });

  it('mixes a run’s kept pairs only', async () => {
    const run = createRun(ctx.db, { datasetId: dataset.id, method: 'random', label: 'half', params: {} });
    const ok = pairs.filter((p) => p.status === 'ok');
    writeRunPairs(
      ctx.db,
      run.id,
      ok.map((p, i) => ({ seq: p.seq, kept: i % 2 === 0 })),
    );
    const kept = ok.filter((_, i) => i % 2 === 0).map((p) => p.seq);
    finishRun(ctx.db, run.id, { state: 'done', kept: kept.length, eligible: ok.length, stats: {} });
    const r = await exportTimix({ runId: run.id, out: path.join(tmp.dir, 'run'), batchSize: 16 });
    expect(r.runId).toBe(run.id);
    expect(r.pairs).toBe(kept.length);
    const recipe = JSON.parse(readFileSync(r.recipe, 'utf8')) as { batches: RecipeBatch[] };
    const seqs = recipe.batches.flatMap((b) => b.samples.map((s) => s.target.seq));
    const keptSet = new Set(kept);
    expect(seqs.every((s) => keptSet.has(s))).toBe(true);
    expect(seqs.length).toBe(r.samples);

    // preview: a seeded random batch of the run
    const p = await loadTimixPreview(ctx, { runId: run.id, batchSize: 5, seed: 3 });
    expect(p.pairs).toHaveLength(5);
    expect(p.samples.map((s) => [s.target, s.source])).toEqual([
      [0, 4],
      [1, 3],
      [2, 2],
      [3, 1],
      [4, 0],
    ]);
    expect(p.pairs.every((x) => keptSet.has(x.seq))).toBe(true);
  });

  it('previews two pairs: saliency maps, windows, λ and the mixed image; a new seed re-rolls s', async () => {
    const [a, b] = pairs.filter((p) => p.status === 'ok').slice(10, 12);
    const p = await loadTimixPreview(ctx, { datasetId: dataset.id, seqs: [a!.seq, b!.seq], seed: 1 });
    expect(p.pairs.map((x) => x.seq)).toEqual([a!.seq, b!.seq]);
    expect(p.pairs[0]!.saliency).toHaveLength(256);
    expect(p.samples).toHaveLength(2);
    expect(p.lambda).toBe((256 - p.s * p.s) / 256);
    expect(p.samples[0]!.targetWindow.size).toBe(p.s);
    const meta = await sharp(Buffer.from(p.samples[0]!.image, 'base64')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 224, 224]);
    const sides = new Set<number>();
    for (let seed = 1; seed <= 12; seed++)
      sides.add((await loadTimixPreview(ctx, { datasetId: dataset.id, seqs: [a!.seq, b!.seq], seed })).s);
    expect(sides.size).toBeGreaterThan(2);
  });
});
