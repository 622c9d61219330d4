// Embedding a seeded sample, and importing the rest INTO that feature set (issue #7,
// item 3): on the demo data (real images, corrupt files included), indexed in three
// workspaces — a full builtin embed (the reference), a sampled one, and a sampled one
// cancelled mid-way and resumed.
//   - the sample embeds exactly the seeded subset: its rows equal the full embed's
//     (global vectors, layout, text), every other row is not written (zero, not done);
//   - a cancelled sampled job, resumed, ends with the same files as an uninterrupted one;
//   - import --into fills only the rows without a vector (with the reference's vectors,
//     standing in for a cluster's), keeps the local ones byte-identical, writes "no codes"
//     for the filled rows, and reports what it filled and kept;
//   - dims that differ, a set that is absent, and --model with --into are refused;
//   - TL;DR on the completed set runs with features 'embedding' and refuses 'code-sequence'
//     with a message that says why.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCompressJob } from '../../main/core/compress/compress';
import { closeCore, openCore, type CoreContext } from '../../main/core/context';
import { generateDemo } from '../../main/core/demo';
import { FEATURE_FILES } from '../../main/core/features/embed';
import { checkImportRequest, startImportJob, type ImportReport } from '../../main/core/features/import';
import { writeNpy } from '../../main/core/features/import/npy-write';
import { inEmbedSample } from '../../main/core/features/sample';
import { startEmbedJob } from '../../main/core/features/start-embed';
import { startIndexJob, UserInputError } from '../../main/core/ingest/index-dataset';
import { featureErrorSeqs, getFeatureSet } from '../../main/core/store/feature-sets';
import { VectorFile } from '../../main/core/store/vectors';
import { makeTempDir } from '../fixtures/dataset/temp-dir';

const COUNT = 240;
const SAMPLE = { fraction: 0.3, seed: 5 };
const tmp = makeTempDir('tldr-sample-into-');
const demoDir = path.join(tmp.dir, 'demo');
const opened: CoreContext[] = [];

async function indexed(name: string): Promise<{ ctx: CoreContext; datasetId: number }> {
  const ctx = openCore(path.join(tmp.dir, name));
  opened.push(ctx);
  const { job, dataset } = await startIndexJob(ctx, { path: path.join(demoDir, 'dataset') });
  const done = await ctx.jobs.wait(job.id);
  if (done.state !== 'done') throw new Error(`index ${done.state}: ${done.error}`);
  return { ctx, datasetId: dataset.id };
}

const EMBED = { model: 'builtin', codebookSize: 32, codebookImages: 120 };

async function embed(ctx: CoreContext, datasetId: number, extra: object = {}): Promise<unknown> {
  const job = startEmbedJob(ctx, { datasetId, ...EMBED, ...extra });
  const done = await ctx.jobs.wait(job.id);
  if (done.state !== 'done') throw new Error(`embed ${done.state}: ${done.error}`);
  return done.result;
}

function folderOf(ctx: CoreContext, datasetId: number): string {
  return getFeatureSet(ctx.db, datasetId, 'builtin')!.folder;
}

function open(ctx: CoreContext, datasetId: number, name: string): VectorFile {
  return VectorFile.open(path.join(folderOf(ctx, datasetId), name));
}

/** Raw bytes of row i (the file's dtype), for byte-identity checks. */
function rowBytes(v: VectorFile, file: string, i: number): Buffer {
  const size = v.dims * (v.dtype === 'float32' ? 4 : 2);
  return readFileSync(file).subarray(4096 + i * size, 4096 + (i + 1) * size);
}

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

let full: { ctx: CoreContext; datasetId: number };
let sampled: { ctx: CoreContext; datasetId: number };
let n: number;
let keys: string[];

beforeAll(async () => {
  await generateDemo({ outDir: demoDir, seed: 11, count: COUNT });
  full = await indexed('ws-full');
  await embed(full.ctx, full.datasetId);
  sampled = await indexed('ws-sample');
  await embed(sampled.ctx, sampled.datasetId, { sample: SAMPLE.fraction, sampleSeed: SAMPLE.seed });
  n = COUNT;
  keys = (
    sampled.ctx.db
      .prepare(`SELECT key FROM pairs WHERE dataset_id = ? ORDER BY seq`)
      .pluck()
      .all(sampled.datasetId) as string[]
  ).map(String);
  expect(keys).toHaveLength(n);
}, 240_000);

afterAll(async () => {
  for (const c of opened) await closeCore(c);
  tmp.cleanup();
});

describe('embed --sample', () => {
  it('embeds exactly the seeded subset, with the same vectors as a full embed', () => {
    const inSample = Array.from({ length: n }, (_, i) => inEmbedSample(i, SAMPLE));
    const count = inSample.filter(Boolean).length;
    expect(count).toBeGreaterThan(0.15 * n);
    expect(count).toBeLessThan(0.45 * n);
    const set = getFeatureSet(sampled.ctx.db, sampled.datasetId, 'builtin')!;
    expect(set.state).toBe('ready');
    expect(set.meta.sample).toEqual({ ...SAMPLE, pairs: count });
    for (const name of [FEATURE_FILES.image, FEATURE_FILES.text, FEATURE_FILES.layout, FEATURE_FILES.codes]) {
      const s = open(sampled.ctx, sampled.datasetId, name);
      const f = open(full.ctx, full.datasetId, name);
      try {
        expect(s.doneCount, name).toBe(count);
        for (let i = 0; i < n; i++) {
          expect(s.isDone(i), `${name} row ${i}`).toBe(inSample[i]);
          const row = s.readRows(i, 1);
          if (!inSample[i]) expect(row.every((x) => x === 0)).toBe(true);
          // Codes depend on the codebook, learned on the sample; the rest does not.
          else if (name !== FEATURE_FILES.codes)
            expect(
              Buffer.from(row.buffer).equals(Buffer.from(f.readRows(i, 1).buffer)),
              `${name} row ${i}`,
            ).toBe(true);
        }
      } finally {
        s.close();
        f.close();
      }
    }
    // Feature errors only for sampled pairs (corrupt images the sample drew).
    for (const q of featureErrorSeqs(sampled.ctx.db, set.id)) expect(inSample[q]).toBe(true);
  });

  it('a cancelled sampled job, resumed, ends with the same files', async () => {
    const c = await indexed('ws-resume');
    const job = startEmbedJob(c.ctx, {
      datasetId: c.datasetId,
      ...EMBED,
      sample: SAMPLE.fraction,
      sampleSeed: SAMPLE.seed,
      batch: 8,
    });
    let cancelledAt = -1;
    const onJob = (r: { id: number; state: string; progress: { stage?: string; done: number } }) => {
      if (
        r.id === job.id &&
        r.state === 'running' &&
        r.progress.stage === 'images' &&
        r.progress.done >= 16
      ) {
        cancelledAt = r.progress.done;
        c.ctx.jobs.off('job', onJob);
        c.ctx.jobs.cancel(job.id);
      }
    };
    c.ctx.jobs.on('job', onJob);
    const first = await c.ctx.jobs.wait(job.id);
    expect(first.state).toBe('cancelled');
    expect(cancelledAt).toBeGreaterThan(0);
    const img = open(c.ctx, c.datasetId, FEATURE_FILES.image);
    const partly = img.doneCount;
    img.close();
    expect(partly).toBeLessThan(
      Array.from({ length: n }, (_, i) => inEmbedSample(i, SAMPLE)).filter(Boolean).length,
    );
    // Resumed without --sample: the recorded sample is kept.
    await embed(c.ctx, c.datasetId);
    for (const name of Object.values(FEATURE_FILES)) {
      expect(sha(path.join(folderOf(c.ctx, c.datasetId), name)), name).toBe(
        sha(path.join(folderOf(sampled.ctx, sampled.datasetId), name)),
      );
    }
    expect(getFeatureSet(c.ctx.db, c.datasetId, 'builtin')!.meta.sample).toEqual(
      getFeatureSet(sampled.ctx.db, sampled.datasetId, 'builtin')!.meta.sample,
    );
  }, 180_000);
});

describe('import-embeddings --into builtin', () => {
  let report: ImportReport;
  const before = new Map<string, Buffer[]>();
  let alsoLocal: number[];
  let source: { image: string; text: string; keys: string };

  beforeAll(async () => {
    // The "cluster" vectors: the full embed's, for every pair not in the sample, plus a
    // few sampled pairs (which must keep their local vectors). Rows shuffled, as a cluster
    // job leaves them.
    const fi = open(full.ctx, full.datasetId, FEATURE_FILES.image);
    const ft = open(full.ctx, full.datasetId, FEATURE_FILES.text);
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (!inEmbedSample(i, SAMPLE)) rows.push(i);
    alsoLocal = Array.from({ length: n }, (_, i) => i)
      .filter((i) => inEmbedSample(i, SAMPLE))
      .slice(0, 10);
    rows.push(...alsoLocal);
    rows.reverse();
    const img = new Float32Array(rows.length * fi.dims);
    const txt = new Float32Array(rows.length * ft.dims);
    rows.forEach((r, j) => {
      img.set(fi.readRows(r, 1), j * fi.dims);
      txt.set(ft.readRows(r, 1), j * ft.dims);
    });
    source = {
      image: path.join(tmp.dir, 'img.npy'),
      text: path.join(tmp.dir, 'txt.npy'),
      keys: path.join(tmp.dir, 'keys.txt'),
    };
    writeNpy(source.image, img, rows.length, fi.dims);
    writeNpy(source.text, txt, rows.length, ft.dims);
    writeFileSync(source.keys, rows.map((r) => keys[r]).join('\n') + '\n');
    fi.close();
    ft.close();
    for (const name of Object.values(FEATURE_FILES)) {
      if (name === FEATURE_FILES.codebook) continue;
      const file = path.join(folderOf(sampled.ctx, sampled.datasetId), name);
      const v = VectorFile.open(file);
      before.set(
        name,
        Array.from({ length: n }, (_, i) => rowBytes(v, file, i)),
      );
      v.close();
    }
    const req = {
      datasetId: sampled.datasetId,
      source: { kind: 'npy' as const, ...source },
      into: 'builtin',
    };
    await checkImportRequest(sampled.ctx, req);
    const job = startImportJob(sampled.ctx, req);
    const done = await sampled.ctx.jobs.wait(job.id);
    if (done.state !== 'done') throw new Error(`import ${done.state}: ${done.error}`);
    report = done.result as ImportReport;
  }, 120_000);

  it('fills only the rows without a vector, keeps the local ones byte-identical', () => {
    const set = getFeatureSet(sampled.ctx.db, sampled.datasetId, 'builtin')!;
    const failed = featureErrorSeqs(sampled.ctx.db, set.id);
    const outside = Array.from({ length: n }, (_, i) => i).filter((i) => !inEmbedSample(i, SAMPLE));
    const localFailed = alsoLocal.filter((i) => failed.has(i)).length;
    expect(report.into).toEqual({
      featureSet: 'builtin',
      filled: outside.length,
      alreadyHad: alsoLocal.length - localFailed,
      localErrors: localFailed,
      filledWithoutText: 0,
    });
    expect(report.model).toBe('builtin');
    expect(report.matched).toBe(outside.length + alsoLocal.length);
    expect(report.pairsWithoutVector.count).toBe(failed.size);
    expect(set.state).toBe('ready');
    expect(set.meta.importing).toBeUndefined();
    expect((set.meta.imports as { filled: number }[]).map((r) => r.filled)).toEqual([outside.length]);

    for (const name of [FEATURE_FILES.image, FEATURE_FILES.text, FEATURE_FILES.codes, FEATURE_FILES.layout]) {
      const file = path.join(set.folder, name);
      const v = VectorFile.open(file);
      const ref = open(full.ctx, full.datasetId, name);
      try {
        expect(v.doneCount, name).toBe(n);
        for (let i = 0; i < n; i++) {
          const now = rowBytes(v, file, i);
          if (inEmbedSample(i, SAMPLE))
            expect(now.equals(before.get(name)![i]!), `${name} row ${i}`).toBe(true);
          else if (name === FEATURE_FILES.codes)
            expect(Array.from(v.readRows(i, 1)).every((c) => c === -1)).toBe(true);
          else if (name === FEATURE_FILES.layout)
            expect(Array.from(v.readRows(i, 1)).every((x) => x === 0)).toBe(true);
          else
            expect(Buffer.from(v.readRows(i, 1).buffer).equals(Buffer.from(ref.readRows(i, 1).buffer))).toBe(
              true,
            );
        }
      } finally {
        v.close();
        ref.close();
      }
    }
  });

  it('refuses dims that differ, an absent feature set, and --model with --into', async () => {
    const bad = path.join(tmp.dir, 'bad.npy');
    const rows = keys.length;
    writeNpy(bad, new Float32Array(rows * 7).fill(0.5), rows, 7);
    const badKeys = path.join(tmp.dir, 'bad-keys.txt');
    writeFileSync(badKeys, keys.join('\n') + '\n');
    const base = { datasetId: sampled.datasetId, into: 'builtin' };
    const dims = checkImportRequest(sampled.ctx, {
      ...base,
      source: { kind: 'npy', image: bad, keys: badKeys },
    });
    await expect(dims).rejects.toBeInstanceOf(UserInputError);
    await expect(dims).rejects.toThrow(/image vectors have 7 dims but the "builtin" features .* have \d+/);
    // Right image dims, wrong text dims.
    const badText = path.join(tmp.dir, 'bad-text.npy');
    writeNpy(badText, new Float32Array(rows * 5).fill(0.5), rows, 5);
    const img = VectorFile.open(path.join(folderOf(sampled.ctx, sampled.datasetId), FEATURE_FILES.image));
    const okImage = path.join(tmp.dir, 'ok-image.npy');
    writeNpy(okImage, new Float32Array(rows * img.dims).fill(0.5), rows, img.dims);
    img.close();
    await expect(
      checkImportRequest(sampled.ctx, {
        ...base,
        source: { kind: 'npy', image: okImage, text: badText, keys: badKeys },
      }),
    ).rejects.toThrow(/text vectors have 5 dims/);
    await expect(
      checkImportRequest(sampled.ctx, {
        ...base,
        into: 'clip-l14',
        source: { kind: 'npy', image: okImage, keys: badKeys },
      }),
    ).rejects.toThrow(/has no "clip-l14" features to import into/);
    await expect(
      checkImportRequest(sampled.ctx, {
        ...base,
        model: 'other',
        source: { kind: 'npy', image: okImage, keys: badKeys },
      }),
    ).rejects.toThrow(/not both/);
    // The job refuses too (a request that skipped the check), and leaves the set as it was.
    const shaBefore = sha(path.join(folderOf(sampled.ctx, sampled.datasetId), FEATURE_FILES.image));
    const job = startImportJob(sampled.ctx, { ...base, source: { kind: 'npy', image: bad, keys: badKeys } });
    const done = await sampled.ctx.jobs.wait(job.id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/7 dims/);
    expect(sha(path.join(folderOf(sampled.ctx, sampled.datasetId), FEATURE_FILES.image))).toBe(shaBefore);
    expect(getFeatureSet(sampled.ctx.db, sampled.datasetId, 'builtin')!.state).toBe('ready');
  });

  it('TL;DR runs on the completed set with embedding features and refuses code sequences clearly', async () => {
    const run = async (features: 'embedding' | 'code-sequence') => {
      const job = startCompressJob(sampled.ctx, {
        datasetId: sampled.datasetId,
        model: 'builtin',
        spec: {
          method: 'tldr',
          budget: { ratio: 0.25 },
          features,
          clusters: 8,
          iterations: 5,
          pick: 'stride',
          exactBudget: false,
          seed: 1,
        },
        evaluate: false,
      });
      return sampled.ctx.jobs.wait(job.id);
    };
    const ok = await run('embedding');
    expect(ok.state, String(ok.error)).toBe('done');
    const r = ok.result as { kept: number; eligible: number };
    // Eligible: the completed set's pairs with features, sampled and imported alike (the
    // sample alone is 30 %), minus the 5 % held out.
    expect(r.eligible).toBeGreaterThan(0.8 * n);
    expect(r.kept).toBeGreaterThan(0);
    const refused = await run('code-sequence');
    expect(refused.state).toBe('failed');
    expect(refused.error).toMatch(/needs patch codes, but \d+ of the pairs with builtin features have none/);
    expect(refused.error).toMatch(/use features "embedding"/);
  }, 120_000);
});
