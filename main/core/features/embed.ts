// The embed job: image vectors, patch codes against a codebook learned on the dataset,
// and text vectors, each in a vector file (row = pair seq) under the workspace.
//
// Stages, each resumable on its own:
//   codebook  encode a seeded sample of images, k-means their patch vectors (K codes);
//             skipped when codebook.f32 exists.
//   images    encode every image once more: the global vector goes to image.f32, the
//             patches are assigned to the codebook and only their codes are kept
//             (codes.f16: integers < 2048 are exact in float16). Patch vectors are never
//             stored: at CC3M scale they would take hundreds of GB.
//             Encoders with a colour layout (builtin) also write layout.f16 (SemDeDup's
//             near-duplicate embedding; float16 is ample for colours in [0, 1]).
//   texts     text.f32 (the builtin model first learns its IDF from all captions).
// Resume: each file's done bitmap (vectors.ts) says which rows are finished.
//
// Sample (`sample` < 1): only a seeded subset of the pairs is embedded (sample.ts); the
// codebook is learned on it. The other rows are never written: they stay not done in every
// file and read as zero vectors, i.e. "no feature", like pairs whose image failed. A resumed
// job, or a later larger sample, computes exactly the rows still missing, and an import
// `into` this feature set fills them with vectors computed elsewhere.
import { mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { CentroidAssigner } from '../compute/graphs/assign';
import { kmeans } from '../compute/kmeans';
import { createRng, sampleIndices } from '../compute/prng';
import type { Matrix } from '../compute/types';
import type { CoreContext } from '../context';
import { ImageError } from '../image/errors';
import { readImageBytes } from '../image/read-bytes';
import { UserInputError } from '../ingest/index-dataset';
import type { JobContext } from '../jobs/runner';
import type { DatasetRow } from '../store/datasets';
import {
  getFeatureSet,
  recordFeatureError,
  upsertFeatureSet,
  type FeatureSetRow,
} from '../store/feature-sets';
import { getPairBySeq, iteratePairs, type StoredPair } from '../store/pairs';
import { VectorFile } from '../store/vectors';
import type { EncodedImage, FeatureEncoder } from './encoder';
import { checkSampleFraction, inEmbedSample, type EmbedSample } from './sample';

export const FEATURE_FILES = {
  image: 'image.f32',
  text: 'text.f32',
  codes: 'codes.f16',
  layout: 'layout.f16',
  codebook: 'codebook.f32',
} as const;

export interface EmbedOptions {
  /** Codebook size (TL;DR: 1024). Capped so every code has enough sample patches. */
  codebookSize?: number;
  /** Images whose patches train the codebook. */
  codebookImages?: number;
  seed?: number;
  /** Images per encode batch. */
  batch?: number;
  /**
   * Fraction of the pairs to embed, in (0, 1]: a seeded subset (sampleSeed, default 1); the
   * others are left without features. Absent: the sample a previous run of this feature set
   * recorded, else every pair.
   */
  sample?: number;
  sampleSeed?: number;
}

export interface EmbedResult {
  featureSetId: number;
  model: string;
  pairs: number;
  encoded: number;
  errors: Record<string, number>;
  codebookSize: number;
  folder: string;
  /** The sample embedded, and how many pairs are in it; absent: every pair. */
  sample?: EmbedSample & { pairs: number };
}

/** Largest patch-sample matrix the codebook stage keeps in memory. */
const CODEBOOK_SAMPLE_BYTES = 512 * 1024 * 1024;

export function featureFolder(ctx: CoreContext, datasetId: number, model: string): string {
  return path.join(ctx.workspace, 'features', String(datasetId), model.replace(/[^a-zA-Z0-9._-]+/g, '_'));
}

function pairCount(ctx: CoreContext, datasetId: number): number {
  return (
    ctx.db.prepare(`SELECT COUNT(*) AS n FROM pairs WHERE dataset_id = ?`).get(datasetId) as { n: number }
  ).n;
}

/** Pairs whose image can be encoded: indexed ok and on disk. */
function usable(p: StoredPair): boolean {
  return p.status === 'ok' && p.image.kind !== 'url' && p.image.kind !== 'none';
}

function openOrCreate(file: string, dims: number, rows: number, dtype: 'float32' | 'float16'): VectorFile {
  try {
    const v = VectorFile.open(file, { writable: true });
    if (v.dims === dims && v.rows === rows) return v;
    v.close();
  } catch {
    // absent or unreadable: start over
  }
  return VectorFile.create(file, { dims, rows, dtype, overwrite: true });
}

export async function runEmbed(
  ctx: CoreContext,
  jc: JobContext,
  dataset: DatasetRow,
  encoder: FeatureEncoder,
  opts: EmbedOptions = {},
): Promise<EmbedResult> {
  const n = pairCount(ctx, dataset.id);
  const usableCount = (
    ctx.db
      .prepare(
        `SELECT COUNT(*) AS n FROM pairs WHERE dataset_id = ? AND status = 'ok' AND image_kind NOT IN ('url','none')`,
      )
      .get(dataset.id) as { n: number }
  ).n;
  if (usableCount === 0) {
    throw new Error(
      `dataset ${dataset.id} has no images on disk (${n} pairs, none with a local image: URLs only?). ` +
        `Image features cannot be computed; WFPP needs no pixels and runs on captions alone.`,
    );
  }
  const folder = featureFolder(ctx, dataset.id, encoder.id);
  mkdirSync(folder, { recursive: true });
  const seed = opts.seed ?? 1;
  const batch = opts.batch ?? 32;
  const previous = getFeatureSet(ctx.db, dataset.id, encoder.id);
  const sample = resolveSample(opts, previous?.meta.sample);
  const sampled = sample ? countSample(ctx, dataset.id, sample) : undefined;
  if (sample && sampled!.usable === 0) {
    throw new UserInputError(
      `the ${sample.fraction} sample (seed ${sample.seed}) of dataset ${dataset.id} holds no pair with an image on disk: ` +
        `use a larger --sample`,
    );
  }
  let fs = upsertFeatureSet(ctx.db, {
    datasetId: dataset.id,
    model: encoder.id,
    folder,
    meta: {
      // What earlier runs recorded (imports into this set) survives a re-run.
      ...(previous?.meta.imports ? { imports: previous.meta.imports } : {}),
      ...(sample ? { sample: { ...sample, pairs: sampled!.pairs } } : {}),
      imageDims: encoder.imageDims,
      textDims: encoder.textDims,
      patchCount: encoder.patchCount,
      jointSpace: encoder.jointSpace,
      ...(encoder.layoutDims ? { layoutDims: encoder.layoutDims } : {}),
    },
    state: 'partial',
  });

  const codebook = await codebookStage(ctx, jc, dataset, encoder, fs, sampled?.usable ?? usableCount, {
    k: opts.codebookSize ?? 1024,
    images: opts.codebookImages ?? 2000,
    seed,
    sample,
  });
  const encoded = await imageStage(ctx, jc, dataset, encoder, fs, codebook, n, batch, sample);
  await textStage(ctx, jc, dataset, encoder, fs, n, sample);

  const errors = Object.fromEntries(
    (
      ctx.db
        .prepare(`SELECT kind, COUNT(*) AS c FROM feature_errors WHERE feature_set_id = ? GROUP BY kind`)
        .all(fs.id) as { kind: string; c: number }[]
    ).map((r) => [r.kind, r.c]),
  );
  fs = upsertFeatureSet(ctx.db, {
    datasetId: dataset.id,
    model: encoder.id,
    folder,
    meta: {
      ...fs.meta,
      codebookSize: codebook.rows,
      pairs: n,
      errors,
      codeUsage: codeUsage(fs.folder, codebook.rows),
    },
    state: 'ready',
  });
  return {
    featureSetId: fs.id,
    model: encoder.id,
    pairs: n,
    encoded,
    errors,
    codebookSize: codebook.rows,
    folder,
    ...(sample ? { sample: { ...sample, pairs: sampled!.pairs } } : {}),
  };
}

/** The request's sample, else the one this feature set was embedded with; undefined: all pairs. */
function resolveSample(opts: EmbedOptions, recorded: unknown): EmbedSample | undefined {
  if (opts.sample !== undefined) {
    const bad = checkSampleFraction(opts.sample);
    if (bad) throw new UserInputError(bad);
    return opts.sample >= 1 ? undefined : { fraction: opts.sample, seed: opts.sampleSeed ?? 1 };
  }
  const r = recorded as Partial<EmbedSample> | undefined;
  if (r && typeof r.fraction === 'number' && typeof r.seed === 'number' && r.fraction < 1)
    return { fraction: r.fraction, seed: opts.sampleSeed ?? r.seed };
  return undefined;
}

/** Pairs in the sample, and those of them with an image on disk. */
function countSample(
  ctx: CoreContext,
  datasetId: number,
  sample: EmbedSample,
): { pairs: number; usable: number } {
  let pairs = 0;
  let usableCount = 0;
  const rows = ctx.db
    .prepare(
      `SELECT seq, status = 'ok' AND image_kind NOT IN ('url','none') AS u FROM pairs WHERE dataset_id = ?`,
    )
    .raw(true)
    .iterate(datasetId) as IterableIterator<[number, number]>;
  for (const [seq, u] of rows) {
    if (!inEmbedSample(seq, sample)) continue;
    pairs++;
    if (u) usableCount++;
  }
  return { pairs, usable: usableCount };
}

async function readBytes(dataset: DatasetRow, p: StoredPair): Promise<Buffer | ImageError> {
  try {
    return await readImageBytes(dataset.root, p.image);
  } catch (e) {
    return e instanceof ImageError ? e : new ImageError('unreadable_image', String(e));
  }
}

async function encodeBatch(
  encoder: FeatureEncoder,
  dataset: DatasetRow,
  pairs: StoredPair[],
  signal: AbortSignal,
): Promise<(EncodedImage | ImageError)[]> {
  const bytes = await Promise.all(pairs.map((p) => readBytes(dataset, p)));
  const ok = bytes.filter((b): b is Buffer => !(b instanceof ImageError));
  const enc = ok.length ? await encoder.encodeImages(ok, signal) : [];
  let j = 0;
  return bytes.map((b) => (b instanceof ImageError ? b : enc[j++]!));
}

async function codebookStage(
  ctx: CoreContext,
  jc: JobContext,
  dataset: DatasetRow,
  encoder: FeatureEncoder,
  fs: FeatureSetRow,
  usableCount: number,
  o: { k: number; images: number; seed: number; sample: EmbedSample | undefined },
): Promise<Matrix> {
  const file = path.join(fs.folder, FEATURE_FILES.codebook);
  try {
    const v = VectorFile.open(file);
    const m = { data: v.readAll(), rows: v.rows, cols: v.dims };
    v.close();
    if (m.cols === encoder.patchDims && m.rows > 0) return m;
  } catch {
    // not there yet
  }
  const seqs = (
    ctx.db
      .prepare(
        `SELECT seq FROM pairs WHERE dataset_id = ? AND status = 'ok' AND image_kind NOT IN ('url','none') ORDER BY seq`,
      )
      .all(dataset.id) as { seq: number }[]
  )
    .map((r) => r.seq)
    .filter((q) => inEmbedSample(q, o.sample));
  const rng = createRng(o.seed);
  const take = Math.min(o.images, usableCount);
  const chosen = Array.from(sampleIndices(seqs.length, take, rng))
    .map((i) => seqs[i]!)
    .sort((a, b) => a - b);
  const d = encoder.patchDims;
  const maxRows = Math.floor(CODEBOOK_SAMPLE_BYTES / (4 * d));
  const perImage = Math.max(1, Math.min(encoder.patchCount, Math.floor(maxRows / Math.max(1, take))));
  const sample = new Float32Array(take * perImage * d);
  let rows = 0;
  for (let s = 0; s < chosen.length; s += 32) {
    jc.throwIfCancelled();
    const pairs = chosen.slice(s, s + 32).map((q) => getPairBySeq(ctx.db, dataset.id, q)!);
    const enc = await encodeBatch(encoder, dataset, pairs, jc.signal);
    for (const e of enc) {
      if (e instanceof ImageError) continue;
      // A seeded subset of each image's patches when the whole sample would not fit.
      const pick = perImage === encoder.patchCount ? null : sampleIndices(encoder.patchCount, perImage, rng);
      for (let t = 0; t < perImage; t++) {
        const src = pick ? pick[t]! : t;
        sample.set(e.patches.subarray(src * d, (src + 1) * d), rows * d);
        rows++;
      }
    }
    jc.progress({ stage: 'codebook: sample', done: Math.min(s + 32, chosen.length), total: chosen.length });
  }
  // At least ~8 sample patches per code, so no code is fitted to a single point.
  const k = Math.max(1, Math.min(o.k, Math.floor(rows / 8)));
  const x: Matrix = { data: sample.subarray(0, rows * d), rows, cols: d };
  const iterations = 20;
  jc.progress({
    stage: 'codebook: k-means',
    done: 0,
    total: iterations,
    message: `K = ${k} on ${rows} patches`,
  });
  const r = await kmeans(x, {
    k,
    iterations,
    seed: o.seed,
    metric: 'l2',
    signal: jc.signal,
    onIteration: (it) => jc.progress({ stage: 'codebook: k-means', done: it + 1, total: iterations }),
  });
  const v = VectorFile.create(file + '.tmp', { dims: d, dtype: 'float32', overwrite: true });
  v.appendRows(r.centroids.data);
  v.flush();
  v.close();
  renameSync(file + '.tmp', file);
  return r.centroids;
}

async function imageStage(
  ctx: CoreContext,
  jc: JobContext,
  dataset: DatasetRow,
  encoder: FeatureEncoder,
  fs: FeatureSetRow,
  codebook: Matrix,
  n: number,
  batch: number,
  sample: EmbedSample | undefined,
): Promise<number> {
  const img = openOrCreate(path.join(fs.folder, FEATURE_FILES.image), encoder.imageDims, n, 'float32');
  const codes = openOrCreate(path.join(fs.folder, FEATURE_FILES.codes), encoder.patchCount, n, 'float16');
  const layout = encoder.layoutDims
    ? openOrCreate(path.join(fs.folder, FEATURE_FILES.layout), encoder.layoutDims, n, 'float16')
    : undefined;
  const isDone = (i: number) => img.isDone(i) && codes.isDone(i) && (!layout || layout.isDone(i));
  const assigner = CentroidAssigner.create(encoder.patchDims, 'l2');
  assigner.setCentroids(codebook);
  const T = encoder.patchCount;
  const zeroImg = new Float32Array(encoder.imageDims);
  const zeroCodes = new Float32Array(T).fill(-1);
  const zeroLayout = new Float32Array(encoder.layoutDims ?? 0);
  let encoded = 0;
  let done = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (!inEmbedSample(i, sample)) continue;
    total++;
    if (isDone(i)) done++;
  }
  jc.progress({ stage: 'images', done, total });
  const firstUndone = (v: VectorFile) => {
    const u = v.nextUndone(0);
    return u < 0 ? n : u;
  };
  const start = Math.min(firstUndone(img), firstUndone(codes), layout ? firstUndone(layout) : n);
  const it = iteratePairs(ctx.db, dataset.id, `seq >= ${start}`);
  let pending: StoredPair[] = [];
  interface Encoded {
    todo: StoredPair[];
    enc: StoredPair[];
    results: (EncodedImage | ImageError)[];
  }
  // One batch is decoded while the previous one finishes (its descriptors, codes and
  // writes): without the overlap one core idles at every batch's tail (~15 % slower).
  let inflight: Promise<Encoded> | undefined;
  const flushBatch = async () => {
    const todo = pending.filter((p) => !isDone(p.seq));
    pending = [];
    const enc = todo.filter(usable);
    const next = encodeBatch(encoder, dataset, enc, jc.signal).then((results) => ({ todo, enc, results }));
    next.catch(() => {}); // awaited below; a cancel before then must not leave it unhandled
    const previous = inflight;
    inflight = next;
    if (previous) await finishBatch(await previous);
  };
  const drain = async () => {
    const last = inflight;
    inflight = undefined;
    if (last) await finishBatch(await last);
  };
  const finishBatch = async ({ todo, enc, results }: Encoded) => {
    jc.throwIfCancelled();
    const byseq = new Map<number, EncodedImage | ImageError>();
    enc.forEach((p, i) => byseq.set(p.seq, results[i]!));
    // Codes for the whole batch in one graph run.
    const good = enc.filter((p) => !(byseq.get(p.seq) instanceof ImageError));
    const patchRows = new Float32Array(good.length * T * encoder.patchDims);
    good.forEach((p, i) =>
      patchRows.set((byseq.get(p.seq) as EncodedImage).patches, i * T * encoder.patchDims),
    );
    const assigned = good.length ? await assigner.run(patchRows, good.length * T) : undefined;
    const write = ctx.db.transaction(() => {
      for (const p of todo) {
        const r = byseq.get(p.seq);
        if (r && !(r instanceof ImageError)) {
          const gi = good.indexOf(p);
          img.writeRows(p.seq, r.global);
          codes.writeRows(p.seq, Float32Array.from(assigned!.index.subarray(gi * T, (gi + 1) * T)));
          layout?.writeRows(p.seq, r.layout ?? zeroLayout);
          encoded++;
        } else {
          img.writeRows(p.seq, zeroImg);
          codes.writeRows(p.seq, zeroCodes);
          layout?.writeRows(p.seq, zeroLayout);
          if (r instanceof ImageError) recordFeatureError(ctx.db, fs.id, p.seq, r.kind, r.message);
          else if (p.status === 'ok') {
            recordFeatureError(
              ctx.db,
              fs.id,
              p.seq,
              'missing_image',
              p.image.kind === 'url'
                ? `not on disk: ${p.image.kind === 'url' ? p.image.url : ''}`
                : 'no image',
            );
          }
        }
      }
    });
    write();
    img.flush();
    codes.flush();
    layout?.flush();
    done += todo.length;
    jc.progress({ stage: 'images', done, total });
  };
  for (const p of it) {
    if (!inEmbedSample(p.seq, sample)) continue;
    pending.push(p);
    if (pending.length >= batch) await flushBatch();
  }
  if (pending.length) await flushBatch();
  await drain();
  img.close();
  codes.close();
  layout?.close();
  return encoded;
}

async function textStage(
  ctx: CoreContext,
  jc: JobContext,
  dataset: DatasetRow,
  encoder: FeatureEncoder,
  fs: FeatureSetRow,
  n: number,
  sample: EmbedSample | undefined,
): Promise<void> {
  const txt = openOrCreate(path.join(fs.folder, FEATURE_FILES.text), encoder.textDims, n, 'float32');
  const todoCount = () => {
    let c = 0;
    for (let i = 0; i < n; i++) if (!txt.isDone(i) && inEmbedSample(i, sample)) c++;
    return c;
  };
  const total = todoCount();
  if (total === 0) {
    txt.close();
    return;
  }
  if (encoder.prepareTexts) {
    jc.progress({ stage: 'texts: vocabulary', done: 0, total });
    const captions = function* () {
      for (const p of iteratePairs(ctx.db, dataset.id, `status = 'ok'`)) yield p.caption ?? '';
    };
    encoder.prepareTexts(captions());
  }
  const zero = new Float32Array(encoder.textDims);
  let done = 0;
  let buf: StoredPair[] = [];
  const flush = async () => {
    const todo = buf.filter((p) => !txt.isDone(p.seq));
    buf = [];
    const ok = todo.filter((p) => p.status === 'ok' && p.caption);
    const vecs = await encoder.embedTexts(ok.map((p) => p.caption!));
    const bySeq = new Map(ok.map((p, i) => [p.seq, vecs[i]!]));
    for (const p of todo) txt.writeRows(p.seq, bySeq.get(p.seq) ?? zero);
    txt.flush();
    done += todo.length;
    jc.progress({ stage: 'texts', done, total });
    jc.throwIfCancelled();
  };
  for (const p of iteratePairs(ctx.db, dataset.id)) {
    if (!inEmbedSample(p.seq, sample)) continue;
    buf.push(p);
    if (buf.length >= 1024) await flush();
  }
  if (buf.length) await flush();
  txt.close();
}

/** How many patches use each code (the Features view's codebook-usage chart). */
export function codeUsage(folder: string, k: number): number[] {
  const usage = new Array<number>(k).fill(0);
  const v = VectorFile.open(path.join(folder, FEATURE_FILES.codes));
  try {
    const step = Math.max(1, Math.floor(4_000_000 / v.dims));
    for (let s = 0; s < v.rows; s += step) {
      const rows = v.readRows(s, Math.min(step, v.rows - s));
      for (let i = 0; i < rows.length; i++) {
        const c = rows[i]!;
        if (c >= 0 && c < k) usage[c]!++;
      }
    }
  } finally {
    v.close();
  }
  return usage;
}
