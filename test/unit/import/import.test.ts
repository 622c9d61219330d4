import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parquetWriteBuffer, type ColumnSource } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFeatures, loadPairs } from '../../../main/core/compress/load-data';
import { closeCore, openCore, type CoreContext } from '../../../main/core/context';
import { FEATURE_FILES } from '../../../main/core/features/embed';
import { importEmbeddings, startImportJob, type ImportReport } from '../../../main/core/features/import';
import { npyBytes, writeNpy } from '../../../main/core/features/import/npy-write';
import { startIndexJob } from '../../../main/core/ingest/index-dataset';
import { JobCancelled } from '../../../main/core/jobs/runner';
import { getDataset } from '../../../main/core/store/datasets';
import { getFeatureSet, upsertFeatureSet } from '../../../main/core/store/feature-sets';
import { getPairBySeq } from '../../../main/core/store/pairs';
import { VectorFile } from '../../../main/core/store/vectors';
import { makeTempDir } from '../../fixtures/dataset/temp-dir';
import { fakeJob, vectors, zipBytes } from './_fixtures';

const tmp = makeTempDir('tldr-import-');
let ctx: CoreContext;
beforeAll(() => {
  ctx = openCore(path.join(tmp.dir, 'ws'));
});
afterAll(async () => {
  await closeCore(ctx);
  tmp.cleanup();
});

function writeParquet(file: string, columns: ColumnSource[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, Buffer.from(parquetWriteBuffer({ columnData: columns })));
}

async function index(p: string): Promise<number> {
  const { job, dataset } = await startIndexJob(ctx, { path: p });
  const done = await ctx.jobs.wait(job.id);
  expect(done.state, String(done.error)).toBe('done');
  return dataset.id;
}

async function runImport(req: Parameters<typeof startImportJob>[1]): Promise<ImportReport> {
  const job = startImportJob(ctx, req);
  const done = await ctx.jobs.wait(job.id);
  if (done.state !== 'done') throw new Error(String(done.error));
  return done.result as ImportReport;
}

function readVectors(folder: string, name: string): VectorFile {
  return VectorFile.open(path.join(folder, name));
}

/** Row `i` of a (rows × d) matrix. */
const row = (m: Float32Array, d: number, i: number) => Array.from(m.subarray(i * d, (i + 1) * d));

describe('clip-retrieval folder: indexed, then imported', () => {
  const D = 8;
  const sizes = [30, 20];
  const img = vectors(50, D, 1);
  const txt = vectors(50, D, 2);
  const folder = path.join(tmp.dir, 'laion-sub');
  let datasetId: number;

  beforeAll(async () => {
    let g = 0;
    sizes.forEach((n, part) => {
      const keys = Array.from({ length: n }, (_, i) => String(g + i).padStart(9, '0'));
      const uids = keys.map((k) => `uid-${k}`);
      const captions: (string | null)[] = keys.map((k) => `a photo number ${k}`);
      if (part === 1) captions[7] = null; // indexed with an error, still imported
      writeParquet(path.join(folder, 'metadata', `metadata_${part}.parquet`), [
        { name: 'image_path', data: keys.map((k) => `/cluster/imgs/${k}.jpg`), type: 'STRING' },
        { name: 'caption', data: captions, type: 'STRING' },
        { name: 'url', data: keys.map((k) => `https://example.com/${k}.jpg`), type: 'STRING' },
        { name: 'key', data: keys, type: 'STRING' },
        { name: 'uid', data: uids, type: 'STRING' },
      ]);
      mkdirSync(path.join(folder, 'img_emb'), { recursive: true });
      mkdirSync(path.join(folder, 'text_emb'), { recursive: true });
      writeNpy(path.join(folder, 'img_emb', `img_emb_${part}.npy`), img.slice(g * D, (g + n) * D), n, D);
      writeNpy(path.join(folder, 'text_emb', `text_emb_${part}.npy`), txt.slice(g * D, (g + n) * D), n, D);
      g += n;
    });
    datasetId = await index(folder);
  });

  it('indexes the metadata: keys, captions, URLs, uids', () => {
    const d = getDataset(ctx.db, datasetId)!;
    expect([d.format, d.pairs]).toEqual(['clip-retrieval', 50]);
    const p = getPairBySeq(ctx.db, datasetId, 31)!;
    expect(p).toMatchObject({
      key: '000000031',
      uid: 'uid-000000031',
      caption: 'a photo number 000000031',
      status: 'ok',
    });
    expect(p.image).toEqual({ kind: 'url', url: 'https://example.com/000000031.jpg' });
    expect(getPairBySeq(ctx.db, datasetId, 37)).toMatchObject({
      status: 'error',
      errorKind: 'missing_caption',
    });
  });

  it('imports image and text embeddings into a ready, joint-space feature set compress can load', async () => {
    const r = await runImport({ datasetId, source: { kind: 'clip-retrieval', folder } });
    expect(r).toMatchObject({
      model: 'import:laion-sub',
      pairs: 50,
      sourceRows: 50,
      matched: 50,
      imageDims: D,
      textDims: D,
      dtype: 'float32',
      unmatched: { count: 0, examples: [] },
      duplicates: { count: 0, examples: [] },
      pairsWithoutVector: { count: 0, examples: [] },
    });
    const set = getFeatureSet(ctx.db, datasetId, r.model)!;
    expect(set.state).toBe('ready');
    expect(set.meta).toMatchObject({ imageDims: D, textDims: D, jointSpace: true, patchCount: 0, pairs: 50 });
    const iv = readVectors(r.folder, FEATURE_FILES.image);
    const tv = readVectors(r.folder, FEATURE_FILES.text);
    expect([iv.rows, iv.doneCount, tv.rows, tv.doneCount]).toEqual([50, 50, 50, 50]);
    expect(Array.from(iv.readAll())).toEqual(Array.from(img));
    expect(Array.from(tv.readAll())).toEqual(Array.from(txt));
    iv.close();
    tv.close();
    expect(existsSync(path.join(r.folder, FEATURE_FILES.codes))).toBe(false);

    const data = loadPairs(ctx, datasetId);
    const f = loadFeatures(ctx, data, datasetId, r.model);
    expect(f.ok.reduce((a, b) => a + b, 0)).toBe(49); // the pair without caption is not usable
    expect(f.jointSpace).toBe(true);
  });

  it('imports a DataComp-style .npz (deflated, float16) keyed by uid from a parquet', async () => {
    // Reversed order, and 3 uids the index does not have.
    const n = 53;
    const uids = Array.from({ length: n }, (_, i) =>
      i < 50 ? `uid-${String(49 - i).padStart(9, '0')}` : `uid-x${i}`,
    );
    const l14 = vectors(n, 12, 5);
    const file = path.join(tmp.dir, 'datacomp', '00000000.npz');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      zipBytes(
        [
          { name: 'b32_img.npy', data: npyBytes(vectors(n, 4), n, 4), deflate: true },
          { name: 'l14_img.npy', data: npyBytes(l14, n, 12, '<f2'), deflate: true },
          { name: 'l14_txt.npy', data: npyBytes(vectors(n, 12, 6), n, 12, '<f2'), deflate: true },
        ],
        { zip64: true },
      ),
    );
    const keys = path.join(tmp.dir, 'datacomp', '00000000.parquet');
    writeParquet(keys, [{ name: 'uid', data: uids, type: 'STRING' }]);
    const r = await runImport({
      datasetId,
      source: { kind: 'npz', file, keys, imageArray: 'l14_img', textArray: 'l14_txt' },
      chunkRows: 16,
    });
    expect(r).toMatchObject({
      model: 'import:00000000:l14_img',
      keyField: 'uid',
      dtype: 'float16',
      matched: 50,
      unmatched: { count: 3, examples: ['uid-x50', 'uid-x51', 'uid-x52'] },
      pairsWithoutVector: { count: 0 },
    });
    const iv = readVectors(r.folder, FEATURE_FILES.image);
    expect(iv.dtype).toBe('float16');
    expect(Array.from(iv.readRows(0, 1))).toEqual(row(l14, 12, 49)); // seq 0 = uid-000000000 = source row 49
    expect(Array.from(iv.readRows(49, 1))).toEqual(row(l14, 12, 0));
    iv.close();
  });
});

describe('a .npy with a key list, against a CC3M-style TSV', () => {
  const N = 40;
  const D = 6;
  const url = (i: number) => `http://img.example/${i}.jpg`;
  let datasetId: number;
  // Source rows: every indexed URL but 5, 17, 33; six foreign keys; 8 and 20 twice.
  const order: string[] = [];
  for (let i = N - 1; i >= 0; i--) if (![5, 17, 33].includes(i)) order.push(url(i));
  order.splice(4, 0, 'http://other/a.jpg', url(8));
  order.splice(20, 0, 'http://other/b.jpg', 'http://other/c.jpg', url(20));
  order.push('http://other/d.jpg', 'http://other/e.jpg', 'http://other/f.jpg');
  const data = vectors(order.length, D, 3);
  const npy = path.join(tmp.dir, 'cc3m-emb', 'img.npy');
  const keysTxt = path.join(tmp.dir, 'cc3m-emb', 'keys.txt');

  beforeAll(async () => {
    const tsv = path.join(tmp.dir, 'cc3m', 'Train_GCC-training.tsv');
    mkdirSync(path.dirname(tsv), { recursive: true });
    writeFileSync(
      tsv,
      Array.from({ length: N }, (_, i) => `caption number ${i}\t${url(i)}`).join('\n') + '\n',
    );
    datasetId = await index(tsv);
    mkdirSync(path.dirname(npy), { recursive: true });
    writeNpy(npy, data, order.length, D);
    writeFileSync(keysTxt, order.join('\r\n') + '\r\n');
  });

  it('reports missing, extra and repeated keys exactly and writes each vector at its pair', async () => {
    expect(getDataset(ctx.db, datasetId)!.pairs).toBe(N);
    const r = await runImport({
      datasetId,
      source: { kind: 'npy', image: npy, keys: keysTxt },
      chunkRows: 7,
    });
    expect(r).toMatchObject({
      model: 'import:cc3m-emb',
      keyField: 'key',
      sourceRows: 45,
      matched: 37,
      textDims: 0,
      unmatched: {
        count: 6,
        examples: [
          'http://other/a.jpg',
          'http://other/b.jpg',
          'http://other/c.jpg',
          'http://other/d.jpg',
          'http://other/e.jpg',
        ],
      },
      duplicates: { count: 2, examples: [url(20), url(8)] }, // in source row order
      pairsWithoutVector: { count: 3, examples: [url(5), url(17), url(33)] },
    });
    expect(existsSync(path.join(r.folder, FEATURE_FILES.text))).toBe(false);
    expect(getFeatureSet(ctx.db, datasetId, r.model)!.meta).toMatchObject({
      textDims: 0,
      jointSpace: true,
      errors: { missing_embedding: 3 },
    });
    const v = readVectors(r.folder, FEATURE_FILES.image);
    for (let seq = 0; seq < N; seq++) {
      const first = order.indexOf(url(seq)); // the first occurrence wins
      expect(Array.from(v.readRows(seq, 1))).toEqual(first < 0 ? new Array(D).fill(0) : row(data, D, first));
      expect(v.isDone(seq)).toBe(first >= 0);
    }
    v.close();
  });

  it('matches on the url column of a parquet key list', async () => {
    const keys = path.join(tmp.dir, 'cc3m-emb', 'keys.parquet');
    writeParquet(keys, [
      { name: 'url', data: order, type: 'STRING' },
      { name: 'n', data: order.map((_, i) => i), type: 'INT32' },
    ]);
    const r = await runImport({
      datasetId,
      source: { kind: 'npy', image: npy, text: npy, keys },
      model: 'by-url',
    });
    expect(r).toMatchObject({ keyField: 'url', matched: 37, textDims: D, pairsWithoutVector: { count: 3 } });
  });

  it('ignores blank lines at the end of a key list, and counts a blank one inside as a key', async () => {
    const trailing = path.join(tmp.dir, 'cc3m-emb', 'trailing.txt');
    writeFileSync(trailing, order.join('\n') + '\n\n  \n');
    const r = await importEmbeddings(ctx, fakeJob(), {
      datasetId,
      source: { kind: 'npy', image: npy, keys: trailing },
      model: 'trailing',
    });
    expect(r).toMatchObject({ matched: 37, unmatched: { count: 6 } });
    const inside = path.join(tmp.dir, 'cc3m-emb', 'inside.txt');
    writeFileSync(inside, ['', ...order.slice(1)].join('\n') + '\n\n');
    const r2 = await importEmbeddings(ctx, fakeJob(), {
      datasetId,
      source: { kind: 'npy', image: npy, keys: inside },
      model: 'inside',
    });
    expect(r2.unmatched).toEqual({
      count: 7,
      examples: ['', 'http://other/a.jpg', 'http://other/b.jpg', 'http://other/c.jpg', 'http://other/d.jpg'],
    });
  });

  it('continues a cancelled import where its done bitmap stopped', async () => {
    const req = {
      datasetId,
      source: { kind: 'npy' as const, image: npy, keys: keysTxt },
      model: 'resume',
      chunkRows: 5,
    };
    await expect(importEmbeddings(ctx, fakeJob({ stage: 'vectors', calls: 4 }), req)).rejects.toThrow(
      JobCancelled,
    );
    expect(getFeatureSet(ctx.db, datasetId, 'resume')!.state).toBe('partial');
    const folder = getFeatureSet(ctx.db, datasetId, 'resume')!.folder;
    const partial = readVectors(folder, FEATURE_FILES.image);
    const before = partial.doneCount;
    partial.close();
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(37);
    const r = await importEmbeddings(ctx, fakeJob(), req);
    expect(r).toMatchObject({ resumed: true, matched: 37, pairsWithoutVector: { count: 3 } });
    const v = readVectors(folder, FEATURE_FILES.image);
    expect(v.doneCount).toBe(37);
    expect(Array.from(v.readRows(0, 1))).toEqual(row(data, D, order.indexOf(url(0))));
    v.close();
  });

  it('says clearly when keys and rows disagree, nothing matches, or the name is taken', async () => {
    const short = path.join(tmp.dir, 'cc3m-emb', 'short.txt');
    writeFileSync(short, order.slice(0, 40).join('\n'));
    await expect(
      importEmbeddings(ctx, fakeJob(), {
        datasetId,
        source: { kind: 'npy', image: npy, keys: short },
        model: 's',
      }),
    ).rejects.toThrow(`${short} lists 40 keys but ${npy} has 45 rows`);
    const long = path.join(tmp.dir, 'cc3m-emb', 'long.txt');
    writeFileSync(long, [...order, 'x', 'y'].join('\n'));
    await expect(
      importEmbeddings(ctx, fakeJob(), {
        datasetId,
        source: { kind: 'npy', image: npy, keys: long },
        model: 'l',
      }),
    ).rejects.toThrow(`${long} lists more keys than ${npy} has rows (45)`);
    const other = path.join(tmp.dir, 'cc3m-emb', 'other.txt');
    writeFileSync(other, order.map((_, i) => `k${i}`).join('\n'));
    await expect(
      importEmbeddings(ctx, fakeJob(), {
        datasetId,
        source: { kind: 'npy', image: npy, keys: other },
        model: 'o',
      }),
    ).rejects.toThrow(
      /none of the 45 embedding rows matched a pair of dataset \d+ by key \(source keys look like: k0, k1, k2\)/,
    );
    const txt4 = path.join(tmp.dir, 'cc3m-emb', 'txt4.npy');
    writeNpy(txt4, vectors(order.length, 4), order.length, 4);
    await expect(
      importEmbeddings(ctx, fakeJob(), {
        datasetId,
        source: { kind: 'npy', image: npy, text: txt4, keys: keysTxt },
        model: 't',
      }),
    ).rejects.toThrow(/txt4\.npy is 4-d but .*img\.npy is 6-d/);
    await expect(
      importEmbeddings(ctx, fakeJob(), {
        datasetId,
        source: { kind: 'npy', image: path.join(tmp.dir, 'nope.npy'), keys: keysTxt },
      }),
    ).rejects.toThrow(/not found: .*nope\.npy/);
    upsertFeatureSet(ctx.db, { datasetId, model: 'builtin', folder: tmp.dir, meta: {}, state: 'ready' });
    await expect(
      importEmbeddings(ctx, fakeJob(), {
        datasetId,
        source: { kind: 'npy', image: npy, keys: keysTxt },
        model: 'builtin',
      }),
    ).rejects.toThrow(/already has "builtin" features computed by embed/);
  });
});
