// The Compare view's 2-D map: two planted groups of embeddings must land apart on PC1, each
// run's kept flags must be exactly its kept pairs within the sample, and the sample must be
// seeded and skip pairs without features.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMap } from '../../../main/core/compress/run-map';
import { closeCore, openCore, type CoreContext } from '../../../main/core/context';
import { startImportJob } from '../../../main/core/features/import';
import { writeNpy } from '../../../main/core/features/import/npy-write';
import { startIndexJob } from '../../../main/core/ingest/index-dataset';
import { mulberry32 } from '../../../main/core/methods/rng';
import { createRun, finishRun, getRun, writeRunPairs } from '../../../main/core/store/runs';
import { makeTempDir } from '../../fixtures/dataset/temp-dir';

const tmp = makeTempDir('tldr-run-map-');
const N = 400;
const D = 16;
const url = (i: number) => `http://img.example/${i}.jpg`;
// Group A = even pairs (centred at +e0), group B = odd pairs (at −e0), noise elsewhere.
const inA = (i: number) => i % 2 === 0;
let ctx: CoreContext;
let datasetId: number;
let model: string;

beforeAll(async () => {
  ctx = openCore(path.join(tmp.dir, 'ws'));
  const tsv = path.join(tmp.dir, 'cc3m', 'Train_GCC-training.tsv');
  mkdirSync(path.dirname(tsv), { recursive: true });
  writeFileSync(tsv, Array.from({ length: N }, (_, i) => `caption ${i}\t${url(i)}`).join('\n') + '\n');
  const { job, dataset } = await startIndexJob(ctx, { path: tsv });
  expect((await ctx.jobs.wait(job.id)).state).toBe('done');
  datasetId = dataset.id;
  const rand = mulberry32(7);
  const data = new Float32Array(N * D);
  for (let i = 0; i < N; i++) {
    // Pair 13 gets a zero vector: no features, never on the map.
    if (i === 13) continue;
    data[i * D] = inA(i) ? 3 : -3;
    for (let d = 1; d < D; d++) data[i * D + d] = rand() - 0.5;
  }
  const dir = path.join(tmp.dir, 'emb');
  mkdirSync(dir, { recursive: true });
  writeNpy(path.join(dir, 'img.npy'), data, N, D);
  writeFileSync(path.join(dir, 'keys.txt'), Array.from({ length: N }, (_, i) => url(i)).join('\n'));
  const imp = startImportJob(ctx, {
    datasetId,
    source: { kind: 'npy', image: path.join(dir, 'img.npy'), keys: path.join(dir, 'keys.txt') },
  });
  const done = await ctx.jobs.wait(imp.id);
  expect(done.state, String(done.error)).toBe('done');
  model = (done.result as { model: string }).model;
});

afterAll(async () => {
  await closeCore(ctx);
  tmp.cleanup();
});

function run(keep: (i: number) => boolean, datasetIdOf = datasetId) {
  const r = createRun(ctx.db, { datasetId: datasetIdOf, method: 'test', label: 'test', params: { model } });
  const rows = Array.from({ length: N }, (_, seq) => ({ seq, kept: keep(seq) }));
  writeRunPairs(ctx.db, r.id, rows);
  finishRun(ctx.db, r.id, { state: 'done', kept: rows.filter((x) => x.kept).length, eligible: N, stats: {} });
  return getRun(ctx.db, r.id)!;
}

describe('runs.map', () => {
  it('separates planted groups on PC1 and flags exactly each run’s kept pairs', () => {
    const a = run(inA);
    const low = run((i) => i < 100);
    const m = runMap(ctx, [a, low], { sample: 150, seed: 3 });
    expect(m.model).toBe(model);
    expect(m.seqs).toHaveLength(150);
    expect(m.population).toBe(N);
    expect(new Set(m.seqs).size).toBe(150);
    expect(m.seqs).not.toContain(13);
    // PC1 carries the planted ±3 axis: its sign splits the groups without error.
    const signA = Math.sign(m.x[m.seqs.findIndex(inA)]!);
    m.seqs.forEach((s, i) => expect(Math.sign(m.x[i]!)).toBe(inA(s) ? signA : -signA));
    expect(m.explained[0]).toBeGreaterThan(0.8);
    expect(m.explained[1]).toBeLessThan(m.explained[0]);
    expect(m.runs.map((r) => r.runId)).toEqual([a.id, low.id]);
    m.seqs.forEach((s, i) => {
      expect(m.runs[0]!.kept[i]).toBe(inA(s));
      expect(m.runs[1]!.kept[i]).toBe(s < 100);
    });
  });

  it('draws the same sample for the same seed and another for another seed', () => {
    const a = run(inA);
    const s1 = runMap(ctx, [a], { sample: 50, seed: 1 });
    expect(runMap(ctx, [a], { sample: 50, seed: 1 }).seqs).toEqual(s1.seqs);
    expect(runMap(ctx, [a], { sample: 50, seed: 2 }).seqs).not.toEqual(s1.seqs);
    // Asking for more than there is gives every pair with features once.
    expect(runMap(ctx, [a], { sample: 10_000, seed: 1 }).seqs).toHaveLength(N - 1);
  });

  it('refuses runs of different datasets and runs without features', async () => {
    const tsv = path.join(tmp.dir, 'other', 'Train_GCC-training.tsv');
    mkdirSync(path.dirname(tsv), { recursive: true });
    writeFileSync(tsv, `a caption\t${url(1)}\n`);
    const { job, dataset } = await startIndexJob(ctx, { path: tsv });
    await ctx.jobs.wait(job.id);
    const other = run(() => true, dataset.id);
    expect(() => runMap(ctx, [run(inA), other], { sample: 10, seed: 1 })).toThrow(/different datasets/);
    expect(() => runMap(ctx, [other], { sample: 10, seed: 1 })).toThrow(/no ready .* features/);
  });
});
