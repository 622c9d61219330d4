// The import job: precomputed CLIP embeddings (clip-retrieval img_emb/text_emb + metadata,
// a .npy with a key list, an .npz member with DataComp's uid parquet) matched by key to
// the indexed pairs and written as a feature set, exactly where the embed job would put
// its own: image.f32 (and text.f32 when there are text embeddings), row = pair seq.
//
//   match    index keys → KeyTable, source keys → one Int32 seq per source row (match-keys)
//   vectors  chunks of the source matrices → the vector files at their seqs (copy-vectors)
//
// Resume: the feature set keeps a fingerprint of the source files and the index; a run on
// the same fingerprint reopens the vector files and skips chunks their done bitmaps cover.
// Matching is redone each run (it is the cheap part: seconds per million keys).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { CoreContext } from '../../context';
import type { JobContext, JobRecord } from '../../jobs/runner';
import { UserInputError } from '../../ingest/index-dataset';
import { getDataset } from '../../store/datasets';
import { getFeatureSet, upsertFeatureSet } from '../../store/feature-sets';
import { VectorFile, type VectorDtype } from '../../store/vectors';
import { FEATURE_FILES, featureFolder } from '../embed';
import { copyVectors } from './copy-vectors';
import { EmbeddingArrayError } from './embedding-array';
import { ImportSourceError, resolveImportSource, type ImportSource, type KeyField } from './import-source';
import { KeyListError } from './key-list';
import { NpyFormatError } from './npy-header';
import { matchKeys } from './match-keys';
import {
  beginInto,
  checkInto,
  fillInto,
  intoMissingExamples,
  recordInto,
  type IntoReport,
} from './import-into';

export interface ImportRequest {
  datasetId: number;
  source: ImportSource;
  /** Feature-set id (the `model` compress is given); default 'import:<folder name>'. */
  model?: string | undefined;
  /**
   * An existing feature set (e.g. 'builtin') to import into instead of a new one: only its
   * pairs without a vector get the source's (import-into.ts). Excludes `model`.
   */
  into?: string | undefined;
  /** Source rows per chunk (default ~32 MiB of float32). */
  chunkRows?: number | undefined;
}

export interface ImportReport {
  featureSetId: number;
  model: string;
  folder: string;
  pairs: number;
  sourceRows: number;
  imageDims: number;
  /** 0: the source had no text embeddings and no text.f32 was written. */
  textDims: number;
  dtype: VectorDtype;
  keyField: KeyField;
  /** Source rows whose vectors went to a pair. */
  matched: number;
  /** Source rows whose key is not in the index. */
  unmatched: { count: number; examples: string[] };
  /** Source rows whose key an earlier source row already had (the first one wins). */
  duplicates: { count: number; examples: string[] };
  /** Indexed pairs that got no vector (their keys as examples). */
  pairsWithoutVector: { count: number; examples: string[] };
  /** Whether vector files of an interrupted run with the same source were continued. */
  resumed: boolean;
  keyTableMB: number;
  seconds: { match: number; vectors: number };
  /** An import into an existing feature set: what it filled and what it kept. */
  into?: IntoReport;
}

const EXAMPLES = 5;

function openVectors(
  file: string,
  dims: number,
  rows: number,
  dtype: VectorDtype,
  reuse: boolean,
): VectorFile {
  if (reuse && existsSync(file)) {
    try {
      const v = VectorFile.open(file, { writable: true });
      if (v.dims === dims && v.rows === rows && v.dtype === dtype) return v;
      v.close();
    } catch {
      // unreadable: start over
    }
  }
  return VectorFile.create(file, { dims, rows, dtype, overwrite: true });
}

/** The first few pairs without a vector, by key. */
function missingExamples(ctx: CoreContext, datasetId: number, v: VectorFile): string[] {
  const keyOf = ctx.db.prepare(`SELECT key FROM pairs WHERE dataset_id = ? AND seq = ?`).pluck();
  const out: string[] = [];
  for (let i = 0; i < v.rows && out.length < EXAMPLES; i++) {
    if (!v.isDone(i)) out.push(String(keyOf.get(datasetId, i)));
  }
  return out;
}

export async function importEmbeddings(
  ctx: CoreContext,
  jc: JobContext,
  req: ImportRequest,
): Promise<ImportReport> {
  const dataset = getDataset(ctx.db, req.datasetId);
  if (!dataset) throw new UserInputError(`no dataset with id ${req.datasetId}`);
  if (dataset.state !== 'ready') {
    throw new UserInputError(`dataset ${dataset.id} is not indexed yet (${dataset.state}): index it first`);
  }
  jc.progress({ stage: 'open', done: 0 });
  const src = await resolveImportSource(req.source, { sameDims: req.into === undefined });
  if (req.into !== undefined) return importInto(ctx, jc, req, dataset, src, req.into);
  const model = req.model ?? src.defaultModel;
  const previous = getFeatureSet(ctx.db, dataset.id, model);
  if (previous && !previous.meta.imported) {
    throw new UserInputError(
      `dataset ${dataset.id} already has "${model}" features computed by embed; import under another name`,
    );
  }
  const n = dataset.pairs;
  const fingerprint = JSON.stringify([src.fingerprint, src.keyField, n, dataset.indexedAt]);
  const resumed = previous?.meta.fingerprint === fingerprint;
  const folder = featureFolder(ctx, dataset.id, model);
  const dtype: VectorDtype = src.dtype === '<f2' ? 'float16' : 'float32';
  const meta = {
    imageDims: src.imageDims,
    textDims: src.textDims,
    patchCount: 0,
    jointSpace: true, // CLIP embeddings: image and text in one space
    codebookSize: 0,
    pairs: n,
    fingerprint,
    imported: { kind: req.source.kind, files: src.files, keyField: src.keyField, dtype },
  };

  const t0 = performance.now();
  const m = await matchOrRefuse(ctx, jc, dataset.id, n, src);
  const t1 = performance.now();

  mkdirSync(folder, { recursive: true });
  upsertFeatureSet(ctx.db, { datasetId: dataset.id, model, folder, meta, state: 'partial' });
  const textFile = path.join(folder, FEATURE_FILES.text);
  const image = openVectors(path.join(folder, FEATURE_FILES.image), src.imageDims, n, dtype, resumed);
  const text = src.textDims ? openVectors(textFile, src.textDims, n, dtype, resumed) : undefined;
  // No text embeddings: no text.f32 at all (a stale one from an earlier import would lie).
  if (!text) rmSync(textFile, { force: true });
  let withoutVector: { count: number; examples: string[] };
  try {
    await copyVectors(jc, src, m, image, text, req.chunkRows);
    withoutVector = { count: n - image.doneCount, examples: missingExamples(ctx, dataset.id, image) };
  } finally {
    image.close();
    text?.close();
  }
  const t2 = performance.now();

  const summary = {
    sourceRows: src.rows,
    matched: m.matched,
    unmatched: m.unmatched.count,
    duplicates: m.duplicates.count,
    pairsWithoutVector: withoutVector.count,
  };
  const fs = upsertFeatureSet(ctx.db, {
    datasetId: dataset.id,
    model,
    folder,
    meta: {
      ...meta,
      imported: { ...meta.imported, ...summary },
      errors: withoutVector.count ? { missing_embedding: withoutVector.count } : {},
    },
    state: 'ready',
  });
  return {
    featureSetId: fs.id,
    model,
    folder,
    pairs: n,
    sourceRows: src.rows,
    imageDims: src.imageDims,
    textDims: src.textDims,
    dtype,
    keyField: src.keyField,
    matched: m.matched,
    unmatched: m.unmatched,
    duplicates: m.duplicates,
    pairsWithoutVector: withoutVector,
    resumed,
    keyTableMB: Math.round(m.tableBytes / 2 ** 20),
    seconds: { match: (t1 - t0) / 1000, vectors: (t2 - t1) / 1000 },
  };
}

async function importInto(
  ctx: CoreContext,
  jc: JobContext,
  req: ImportRequest,
  dataset: NonNullable<ReturnType<typeof getDataset>>,
  src: Awaited<ReturnType<typeof resolveImportSource>>,
  intoName: string,
): Promise<ImportReport> {
  let target = checkInto(ctx, dataset, intoName, src, req.model);
  const n = dataset.pairs;
  const t0 = performance.now();
  const m = await matchOrRefuse(ctx, jc, dataset.id, n, src);
  const t1 = performance.now();
  const fingerprint = JSON.stringify([src.fingerprint, src.keyField, n, dataset.indexedAt]);
  const resumed = target.meta.importing === fingerprint;
  target = beginInto(ctx, target, fingerprint);
  const r = await fillInto(ctx, jc, dataset, target, src, m, n, req.chunkRows);
  const t2 = performance.now();
  const { pairsWithoutVector, ...into } = r;
  const fs = recordInto(ctx, target, {
    kind: req.source.kind,
    files: src.files,
    keyField: src.keyField,
    sourceRows: src.rows,
    matched: m.matched,
    unmatched: m.unmatched.count,
    duplicates: m.duplicates.count,
    ...into,
    pairsWithoutVector,
    at: new Date().toISOString(),
  });
  return {
    featureSetId: fs.id,
    model: fs.model,
    folder: fs.folder,
    pairs: n,
    sourceRows: src.rows,
    imageDims: src.imageDims,
    textDims: src.textDims,
    dtype: src.dtype === '<f2' ? 'float16' : 'float32',
    keyField: src.keyField,
    matched: m.matched,
    unmatched: m.unmatched,
    duplicates: m.duplicates,
    pairsWithoutVector: {
      count: pairsWithoutVector,
      examples: intoMissingExamples(ctx, dataset.id, fs, EXAMPLES),
    },
    resumed,
    keyTableMB: Math.round(m.tableBytes / 2 ** 20),
    seconds: { match: (t1 - t0) / 1000, vectors: (t2 - t1) / 1000 },
    into,
  };
}

const SOURCE_ERRORS = [ImportSourceError, EmbeddingArrayError, NpyFormatError, KeyListError];

/**
 * Checks a request before a job is started, so that a wrong path, a wrong shape or a name
 * taken by embed is refused as bad input at once instead of as a failed job.
 */
export async function checkImportRequest(ctx: CoreContext, req: ImportRequest): Promise<void> {
  const dataset = getDataset(ctx.db, req.datasetId);
  if (!dataset) throw new UserInputError(`no dataset with id ${req.datasetId}`);
  if (dataset.state !== 'ready')
    throw new UserInputError(`dataset ${dataset.id} is not indexed yet (${dataset.state}): index it first`);
  let src: Awaited<ReturnType<typeof resolveImportSource>>;
  try {
    src = await resolveImportSource(req.source, { sameDims: req.into === undefined });
  } catch (e) {
    if (SOURCE_ERRORS.some((c) => e instanceof c)) throw new UserInputError((e as Error).message);
    throw e;
  }
  if (req.into !== undefined) {
    checkInto(ctx, dataset, req.into, src, req.model);
    return;
  }
  const model = req.model ?? src.defaultModel;
  const previous = getFeatureSet(ctx.db, dataset.id, model);
  if (previous && !previous.meta.imported) {
    throw new UserInputError(
      `dataset ${dataset.id} already has "${model}" features computed by embed; import under another name` +
        ` (or fill its pairs without a vector with --into ${model})`,
    );
  }
}

/** Starts (or continues) the import as a job; the same model id continues an unfinished one. */
export function startImportJob(ctx: CoreContext, req: ImportRequest): JobRecord {
  const dataset = getDataset(ctx.db, req.datasetId);
  if (!dataset) throw new UserInputError(`no dataset with id ${req.datasetId}`);
  if (dataset.state !== 'ready')
    throw new UserInputError(`dataset ${dataset.id} is not indexed yet (${dataset.state})`);
  const resumeKey = req.into !== undefined ? `into:${req.into}` : (req.model ?? JSON.stringify(req.source));
  return ctx.jobs.start(
    'import-embeddings',
    dataset.id,
    {
      resumeKey,
      source: req.source,
      ...(req.model ? { model: req.model } : {}),
      ...(req.into !== undefined ? { into: req.into } : {}),
    },
    (jc) => importEmbeddings(ctx, jc, req),
  );
}

/** Matches the source keys to the pairs; refuses a source of which no row matched. */
async function matchOrRefuse(
  ctx: CoreContext,
  jc: JobContext,
  datasetId: number,
  n: number,
  src: Awaited<ReturnType<typeof resolveImportSource>>,
): Promise<Awaited<ReturnType<typeof matchKeys>>> {
  const m = await matchKeys(ctx, jc, datasetId, n, src);
  if (m.matched === 0) {
    throw new UserInputError(
      `none of the ${src.rows} embedding rows matched a pair of dataset ${datasetId} by ${src.keyField}` +
        (m.unmatched.examples.length
          ? ` (source keys look like: ${m.unmatched.examples.slice(0, 3).join(', ')})`
          : '') +
        `; pick another key field (key, uid, url) or check that the embeddings belong to this dataset`,
    );
  }
  return m;
}
