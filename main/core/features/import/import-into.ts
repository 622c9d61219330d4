// Importing INTO an existing feature set (`into`, e.g. 'builtin'): a researcher embeds a
// sample locally and brings the same model's vectors, computed elsewhere, for the rest.
// The source's rows go to the set's own vector files, only at pairs that have no vector
// there yet (not done in image.f32); pairs the local embed computed, or whose image failed
// there, keep what they have, byte for byte.
//
// Patch codes and the colour layout are not in the source: filled rows get "no codes"
// (−1, as a failed image) and a zero layout, written and marked done so that a later embed
// of this set does not recompute them over the imported vectors. Methods that need codes
// or the layout refuse such a set with a clear message (compress.ts); TL;DR with features
// 'embedding', WFPP, random and the rest run on it.
import path from 'node:path';
import type { CoreContext } from '../../context';
import { UserInputError } from '../../ingest/index-dataset';
import type { JobContext } from '../../jobs/runner';
import type { DatasetRow } from '../../store/datasets';
import {
  featureErrorSeqs,
  getFeatureSet,
  upsertFeatureSet,
  type FeatureSetRow,
} from '../../store/feature-sets';
import { VectorFile } from '../../store/vectors';
import { FEATURE_FILES } from '../embed';
import { defaultChunkRows, writeRuns } from './copy-vectors';
import type { ResolvedSource } from './import-source';
import type { Matching } from './match-keys';

export interface IntoReport {
  /** The feature set written into. */
  featureSet: string;
  /** Pairs that got their vector from the source. */
  filled: number;
  /** Matched pairs that already had a vector there (kept). */
  alreadyHad: number;
  /** Matched pairs whose image failed in the local embed (kept as failures). */
  localErrors: number;
  /** Filled pairs left without a text vector (the set has text, the source has none). */
  filledWithoutText: number;
}

/** Refuses an import into `into` that cannot work: absent or unfinished set, other dims. */
export function checkInto(
  ctx: CoreContext,
  dataset: DatasetRow,
  into: string,
  src: Pick<ResolvedSource, 'imageDims' | 'textDims'>,
  model: string | undefined,
): FeatureSetRow {
  if (model !== undefined && model !== into)
    throw new UserInputError(
      `give a feature-set name (--model) or a feature set to import into (--into), not both`,
    );
  const target = getFeatureSet(ctx.db, dataset.id, into);
  if (!target) {
    throw new UserInputError(
      `dataset ${dataset.id} has no "${into}" features to import into: run "tldr-studio embed ${dataset.id}` +
        `${into === 'builtin' ? '' : ` --model ${into}`} --sample 0.1" first (or import under a new name with --model)`,
    );
  }
  // 'partial' with `importing`: an import into it was interrupted; running it again finishes it.
  if (target.state !== 'ready' && !target.meta.importing) {
    throw new UserInputError(
      `the "${into}" features of dataset ${dataset.id} are not ready (${target.state}): let their embed job ` +
        `finish (run the same embed again to resume it) before importing into them`,
    );
  }
  const imageDims = Number(target.meta.imageDims ?? 0);
  if (src.imageDims !== imageDims) {
    throw new UserInputError(
      `the source's image vectors have ${src.imageDims} dims but the "${into}" features of dataset ${dataset.id} ` +
        `have ${imageDims}: import vectors computed with the same model`,
    );
  }
  const textDims = Number(target.meta.textDims ?? 0);
  if (src.textDims > 0 && textDims > 0 && src.textDims !== textDims) {
    throw new UserInputError(
      `the source's text vectors have ${src.textDims} dims but the "${into}" features of dataset ${dataset.id} ` +
        `have ${textDims}: import vectors computed with the same model`,
    );
  }
  return target;
}

function openTarget(folder: string, name: string, rows: number, required: boolean): VectorFile | undefined {
  const file = path.join(folder, name);
  let v: VectorFile;
  try {
    v = VectorFile.open(file, { writable: true });
  } catch (e) {
    if (!required) return undefined;
    throw new UserInputError(`cannot open ${file} to import into it (${(e as Error).message}): embed again`);
  }
  if (v.rows !== rows) {
    v.close();
    throw new UserInputError(`${file} covers ${v.rows} pairs but the index has ${rows}: embed again`);
  }
  return v;
}

export async function fillInto(
  ctx: CoreContext,
  jc: JobContext,
  dataset: DatasetRow,
  target: FeatureSetRow,
  src: ResolvedSource,
  m: Matching,
  n: number,
  chunkRows = defaultChunkRows(src.imageDims),
): Promise<IntoReport & { pairsWithoutVector: number }> {
  const folder = target.folder;
  const image = openTarget(folder, FEATURE_FILES.image, n, true)!;
  const targetText = Number(target.meta.textDims ?? 0) > 0;
  const text = targetText ? openTarget(folder, FEATURE_FILES.text, n, true) : undefined;
  const codes = openTarget(folder, FEATURE_FILES.codes, n, false);
  const layout = openTarget(folder, FEATURE_FILES.layout, n, false);
  const failed = featureErrorSeqs(ctx.db, target.id);
  const report: IntoReport = {
    featureSet: target.model,
    filled: 0,
    alreadyHad: 0,
    localErrors: 0,
    filledWithoutText: 0,
  };
  const stage = { buf: new Float32Array(0) };
  let imgBuf: Float32Array | undefined;
  let txtBuf: Float32Array | undefined;
  try {
    let base = 0;
    for (const part of src.parts) {
      const imgArr = await part.openImage();
      const txtArr = text && part.openText ? await part.openText() : undefined;
      try {
        for (let s = 0; s < part.rows; s += chunkRows) {
          const count = Math.min(chunkRows, part.rows - s);
          // (source row in the chunk, seq) of every pair of the chunk that has no vector yet.
          const todo: [number, number][] = [];
          const consider = (i: number, seq: number) => {
            if (!image.isDone(seq)) todo.push([i, seq]);
            else if (failed.has(seq)) report.localErrors++;
            else report.alreadyHad++;
          };
          for (let i = 0; i < count; i++) {
            const seq = m.map[base + s + i]!;
            if (seq < 0) continue;
            consider(i, seq);
            for (const q of m.extras.get(seq) ?? []) consider(i, q);
          }
          if (todo.length) {
            todo.sort((x, y) => x[1] - y[1]);
            const idx = Int32Array.from(todo, (t) => t[0]);
            const seqs = Int32Array.from(todo, (t) => t[1]);
            imgBuf = await imgArr.read(s, count, imgBuf);
            writeRuns(image, imgBuf, idx, seqs, stage);
            if (text && txtArr) {
              txtBuf = await txtArr.read(s, count, txtBuf);
              writeRuns(text, txtBuf, idx, seqs, stage);
            } else if (text) report.filledWithoutText += todo.length;
            if (codes) writeRuns(codes, { fill: -1 }, idx, seqs, stage);
            if (layout) writeRuns(layout, { fill: 0 }, idx, seqs, stage);
            // Rows first, then the done bits that cover them (vectors.ts).
            for (const v of [image, text, codes, layout]) v?.flush();
            report.filled += todo.length;
          }
          jc.progress({ stage: 'vectors', done: base + s + count, total: src.rows });
          jc.throwIfCancelled();
        }
      } finally {
        imgArr.close();
        txtArr?.close();
      }
      base += part.rows;
    }
    let failedDone = 0;
    for (const q of failed) if (image.isDone(q)) failedDone++;
    const pairsWithoutVector = n - image.doneCount + failedDone;
    return { ...report, pairsWithoutVector };
  } finally {
    for (const v of [image, text, codes, layout]) v?.close();
  }
}

/** The first few pairs without a vector in `into`'s image file (not done, or failed there). */
export function intoMissingExamples(
  ctx: CoreContext,
  datasetId: number,
  target: FeatureSetRow,
  limit: number,
): string[] {
  const v = VectorFile.open(path.join(target.folder, FEATURE_FILES.image));
  const failed = featureErrorSeqs(ctx.db, target.id);
  const keyOf = ctx.db.prepare(`SELECT key FROM pairs WHERE dataset_id = ? AND seq = ?`).pluck();
  const out: string[] = [];
  try {
    for (let i = 0; i < v.rows && out.length < limit; i++) {
      if (!v.isDone(i) || failed.has(i)) out.push(String(keyOf.get(datasetId, i)));
    }
  } finally {
    v.close();
  }
  return out;
}

/** Marks the target unfinished while rows are written into it (compress refuses it meanwhile). */
export function beginInto(ctx: CoreContext, target: FeatureSetRow, fingerprint: string): FeatureSetRow {
  return upsertFeatureSet(ctx.db, {
    datasetId: target.datasetId,
    model: target.model,
    folder: target.folder,
    meta: { ...target.meta, importing: fingerprint },
    state: 'partial',
  });
}

/** The target's meta after an import into it: each import recorded, state ready again. */
export function recordInto(
  ctx: CoreContext,
  target: FeatureSetRow,
  record: Record<string, unknown>,
): FeatureSetRow {
  const imports = Array.isArray(target.meta.imports) ? (target.meta.imports as unknown[]) : [];
  const { importing: _done, ...meta } = target.meta;
  return upsertFeatureSet(ctx.db, {
    datasetId: target.datasetId,
    model: target.model,
    folder: target.folder,
    meta: { ...meta, imports: [...imports, record] },
    state: 'ready',
  });
}
