// The caption-refinement job (TL;DR step 6): a caption is generated for every kept pair of
// a run and the training caption becomes `original + "; " + generated`, stored in
// refined_captions (the BLIP json export writes it). Resumable: pairs already refined by
// the same captioner are skipped; each batch is written in one transaction. Then the
// alignment of the refined pairs is scored with the original and with the merged captions.
import { onnxKernels } from '../compute/kernels';
import path from 'node:path';
import type { ProviderRegistry } from '../compute/providers';
import type { Matrix } from '../compute/types';
import { createBuiltinEncoder } from '../features/builtin/encoder';
import { FEATURE_FILES } from '../features/embed';
import type { FeatureEncoder } from '../features/encoder';
import { UserInputError } from '../ingest/index-dataset';
import { getDataset } from '../store/datasets';
import type { Db } from '../store/db';
import { featureErrorSeqs, getFeatureSet } from '../store/feature-sets';
import { getPairBySeq, iteratePairs, type StoredPair } from '../store/pairs';
import { getRun, keptSeqs } from '../store/runs';
import { VectorFile } from '../store/vectors';
import {
  cosineAlignmentChange,
  ridgeAlignmentChange,
  summariseAlignment,
  type AlignmentSummary,
} from './alignment-change';
import { openBuiltinSource } from './builtin-source';
import { isFailure, type CaptionSource } from './caption-source';
import { BLIP_MAX_WORDS, mergeAndCount } from './merge';
import { listRefined, refinedSeqs, truncationCounts, writeRefined, type RefinedRow } from './refined-store';
import { captionerName, openTransformersSource } from './transformers-source';

export type CaptionerChoice = 'builtin' | { model: string };

export interface RefineProgress {
  stage: 'learn' | 'caption' | 'alignment';
  done: number;
  total: number;
  message?: string;
}

export interface RefineOptions {
  db: Db;
  workspace: string;
  datasetId: number;
  runId: number;
  captioner: CaptionerChoice;
  /** Feature set the alignment scores come from (default: the run's, else 'builtin'). */
  alignmentModel?: string;
  /** Pairs per transaction (default: 256 builtin, 8 with a transformers.js model). */
  batch?: number;
  /** Builtin captioner: cross-fitting folds (default: 4 up to 20 000 pairs, else 2). */
  folds?: number;
  /** transformers.js captioner: execution providers, and whether a registry model may be downloaded. */
  providers?: ProviderRegistry;
  download?: boolean;
  /** Text encoder of a CLIP-family alignment model (the builtin one is built here). */
  openTextEncoder?: (model: string) => Promise<FeatureEncoder>;
  signal?: AbortSignal;
  onProgress?: (p: RefineProgress) => void;
}

export interface RefineSummary {
  runId: number;
  /** refined_captions.model of the rows written. */
  model: string;
  /** Kept pairs of the run. */
  kept: number;
  /** Pairs refined by this call. */
  refined: number;
  /** Pairs already refined by this captioner (a resumed job skips them). */
  skipped: number;
  /** Kept pairs that could not be captioned (no image or features), by reason. */
  failed: number;
  failures: Record<string, number>;
  /** Refined pairs whose generated phrase came out empty (merged = original). */
  empty: number;
  /** Rows of the run by this captioner, now. */
  stored: number;
  /** Of those, pairs whose generated part BLIP's 30-word cut shortens, and the words it drops. */
  truncatedPairs: number;
  truncatedWords: number;
  /**
   * Alignment of the stored pairs with their original vs. their merged caption, scored with
   * this feature set's model (absent, and the means NaN, without features).
   */
  alignmentModel?: string;
  alignmentPairs: number;
  meanAlignmentBefore: number;
  meanAlignmentAfter: number;
  /** On shared bins. */
  histogramBefore?: AlignmentSummary['histogramBefore'];
  histogramAfter?: AlignmentSummary['histogramAfter'];
  warnings: string[];
}

/** Builds refined_captions rows from generated captions (pure). */
export function refinedRows(
  model: string,
  pairs: readonly { seq: number; caption: string | null }[],
  generated: readonly string[],
): RefinedRow[] {
  return pairs.map((p, i) => {
    const original = p.caption ?? '';
    const g = generated[i]!.trim();
    // Nothing to add: keep the training caption as it was.
    if (g === '') return { seq: p.seq, model, generated: '', merged: original, truncated: 0 };
    const m = mergeAndCount(original, g);
    return { seq: p.seq, model, generated: g, merged: m.merged, truncated: m.truncated };
  });
}

export async function refineCaptions(o: RefineOptions): Promise<RefineSummary> {
  const { db, datasetId, runId } = o;
  const dataset = getDataset(db, datasetId);
  if (!dataset) throw new UserInputError(`no dataset with id ${datasetId}`);
  const run = getRun(db, runId);
  if (!run || run.datasetId !== datasetId)
    throw new UserInputError(`no run ${runId} on dataset ${datasetId}`);
  const builtin = o.captioner === 'builtin';
  const model = builtin ? 'builtin' : captionerName((o.captioner as { model: string }).model);
  const kept = [...keptSeqs(db, runId)];
  const done = refinedSeqs(db, runId, model);
  const todo = kept.filter((s) => !done.has(s));
  const batch = Math.max(1, o.batch ?? (builtin ? 256 : 8));
  const warnings: string[] = [];
  const failures: Record<string, number> = {};
  let refined = 0;
  let empty = 0;

  if (todo.length > 0) {
    o.signal?.throwIfAborted();
    const source = await openSource(o, dataset);
    try {
      o.onProgress?.({ stage: 'caption', done: 0, total: todo.length });
      for (let s = 0; s < todo.length; s += batch) {
        o.signal?.throwIfAborted();
        const pairs: StoredPair[] = [];
        for (const seq of todo.slice(s, s + batch)) {
          const p = getPairBySeq(db, datasetId, seq);
          if (p) pairs.push(p);
          else failures['not in the index'] = (failures['not in the index'] ?? 0) + 1;
        }
        const out = await source.caption(pairs, o.signal);
        o.signal?.throwIfAborted();
        const good: StoredPair[] = [];
        const texts: string[] = [];
        out.forEach((r, i) => {
          if (isFailure(r)) failures[r.error] = (failures[r.error] ?? 0) + 1;
          else {
            good.push(pairs[i]!);
            texts.push(r);
          }
        });
        const rows = refinedRows(model, good, texts);
        writeRefined(db, runId, rows);
        refined += rows.length;
        empty += rows.filter((r) => r.generated === '').length;
        o.onProgress?.({ stage: 'caption', done: Math.min(s + batch, todo.length), total: todo.length });
      }
    } finally {
      await source.dispose();
    }
  }

  const failed = Object.values(failures).reduce((a, b) => a + b, 0);
  if (failed > 0) warnings.push(`${failed} kept pairs got no caption (${Object.keys(failures).join('; ')}).`);
  if (empty > 0) warnings.push(`${empty} generated captions came out empty: their caption is unchanged.`);
  const t = truncationCounts(db, runId, model);
  if (t.truncatedPairs > 0) {
    warnings.push(
      `${t.truncatedPairs} of ${t.rows} refined captions are longer than BLIP's ${BLIP_MAX_WORDS}-word limit: ` +
        `its loader drops ${t.truncatedWords} generated words in all.`,
    );
  }
  const alignment = await refinedAlignment(o, run.featureSetId, model, warnings);
  return {
    runId,
    model,
    kept: kept.length,
    refined,
    skipped: kept.length - todo.length,
    failed,
    failures,
    empty,
    stored: t.rows,
    truncatedPairs: t.truncatedPairs,
    truncatedWords: t.truncatedWords,
    ...(alignment
      ? {
          alignmentModel: alignment.model,
          alignmentPairs: alignment.pairs,
          meanAlignmentBefore: alignment.meanBefore,
          meanAlignmentAfter: alignment.meanAfter,
          histogramBefore: alignment.histogramBefore,
          histogramAfter: alignment.histogramAfter,
        }
      : { alignmentPairs: 0, meanAlignmentBefore: NaN, meanAlignmentAfter: NaN }),
    warnings,
  };
}

async function openSource(
  o: RefineOptions,
  dataset: NonNullable<ReturnType<typeof getDataset>>,
): Promise<CaptionSource> {
  if (o.captioner === 'builtin') {
    return openBuiltinSource({
      db: o.db,
      datasetId: o.datasetId,
      ...(o.folds !== undefined ? { folds: o.folds } : {}),
      onFold: (f, folds) =>
        o.onProgress?.({ stage: 'learn', done: f, total: folds, message: 'learning the builtin captioner' }),
    });
  }
  return openTransformersSource({
    model: o.captioner.model,
    dataset,
    workspace: o.workspace,
    ...(o.providers ? { providers: o.providers } : {}),
    ...(o.download !== undefined ? { download: o.download } : {}),
  });
}

function readMatrix(file: string): Matrix {
  const v = VectorFile.open(file);
  try {
    return { data: v.readAll(), rows: v.rows, cols: v.dims };
  } finally {
    v.close();
  }
}

/** Alignment of the run's refined pairs before and after; undefined (with a warning) without features. */
async function refinedAlignment(
  o: RefineOptions,
  runFeatureSetId: number | null,
  model: string,
  warnings: string[],
): Promise<(AlignmentSummary & { model: string }) | undefined> {
  const { db, datasetId } = o;
  const runModel =
    runFeatureSetId === null
      ? undefined
      : (
          db.prepare(`SELECT model FROM feature_sets WHERE id = ?`).get(runFeatureSetId) as
            { model: string } | undefined
        )?.model;
  const alignModel = o.alignmentModel ?? runModel ?? 'builtin';
  const set = getFeatureSet(db, datasetId, alignModel);
  if (!set || set.state !== 'ready') {
    warnings.push(`no ${alignModel} features: the alignment before and after refinement is not scored.`);
    return undefined;
  }
  const rows = listRefined(db, o.runId, model);
  if (rows.length === 0) return undefined;
  o.onProgress?.({ stage: 'alignment', done: 0, total: rows.length });
  const image = readMatrix(path.join(set.folder, FEATURE_FILES.image));
  const text = readMatrix(path.join(set.folder, FEATURE_FILES.text));
  const n = image.rows;
  // Pairs with features: indexed ok, no feature error, a non-zero image vector.
  const failed = featureErrorSeqs(db, set.id);
  const ok = new Uint8Array(n);
  const groups = new Int32Array(n);
  const groupIds = new Map<string, number>();
  const captions: string[] = [];
  for (const p of iteratePairs(db, datasetId)) {
    if (p.seq >= n) continue;
    let g = groupIds.get(p.imageKey);
    if (g === undefined) groupIds.set(p.imageKey, (g = groupIds.size));
    groups[p.seq] = g;
    if (p.status !== 'ok') continue;
    captions.push(p.caption ?? '');
    if (failed.has(p.seq)) continue;
    let nz = false;
    for (let d = 0; d < image.cols && !nz; d++) nz = image.data[p.seq * image.cols + d] !== 0;
    ok[p.seq] = nz ? 1 : 0;
  }
  const scored = rows.filter((r) => r.seq < n && ok[r.seq]);
  if (scored.length === 0) return undefined;
  const encoder =
    alignModel === 'builtin'
      ? createBuiltinEncoder()
      : o.openTextEncoder
        ? await o.openTextEncoder(alignModel)
        : undefined;
  if (!encoder) {
    warnings.push(`no text encoder for ${alignModel}: the alignment after refinement is not scored.`);
    return undefined;
  }
  try {
    // The builtin text vectors weigh words by IDF over the dataset's captions, as text.f32 did.
    encoder.prepareTexts?.(captions);
    const vecs = await encoder.embedTexts(scored.map((r) => r.merged));
    const merged: Matrix = {
      data: new Float32Array(scored.length * text.cols),
      rows: scored.length,
      cols: text.cols,
    };
    vecs.forEach((v, i) => merged.data.set(v.subarray(0, text.cols), i * text.cols));
    const seqs = scored.map((r) => r.seq);
    const change = set.meta.jointSpace
      ? cosineAlignmentChange(image, text, seqs, merged)
      : await ridgeAlignmentChange(image, text, seqs, merged, {
          fitMask: ok,
          groups,
          seed: 1,
          kernels: onnxKernels,
        });
    o.onProgress?.({ stage: 'alignment', done: scored.length, total: rows.length });
    return { ...summariseAlignment(change), model: alignModel };
  } finally {
    await encoder.dispose?.();
  }
}
