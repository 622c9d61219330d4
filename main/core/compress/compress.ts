// The compress job: load the dataset's columns (and features when the method needs
// them), hold out the evaluation pairs, run the method or composition, store the run
// with its per-pair results, and judge it side by side with random and the full pool.
import type { CoreContext } from '../context';
import { heldOutSplit } from '../evaluate/split';
import type { JobContext } from '../jobs/runner';
import { onnxKernels } from '../compute/kernels';
import { embeddingAlignment } from '../methods/alignment';
import { crossFittedAlignment } from '../methods/cross-fit';
import { runIntersection, runSequential, type Composition } from '../methods/compose';
import { reasonAt } from '../methods/selection';
import type { Selection } from '../methods/types';
import { getDataset } from '../store/datasets';
import { createRun, finishRun, writeRunPairs, type RunPairResult } from '../store/runs';
import { UserInputError } from '../ingest/index-dataset';
import { evaluateRun, referenceClusters } from './evaluate-run';
import {
  loadFeatures,
  loadPairs,
  MissingFeaturesError,
  type CompressData,
  type FeatureData,
} from './load-data';
import { runStep, type StepContext, type StepResult } from './run-method';
import { describeSpec, needsFeatures, type MethodSpec, type StepSpec } from './spec';

export interface CompressRequest {
  datasetId: number;
  spec: MethodSpec;
  /** Feature set to use ('builtin' by default). */
  model?: string;
  label?: string;
  /** Held-out evaluation pairs, excluded from selection. Same seed → same split for every run. */
  heldOutFraction?: number;
  heldOutSeed?: number;
  evaluate?: boolean;
}

export interface CompressResult {
  runId: number;
  label: string;
  kept: number;
  eligible: number;
  budget?: { requested: number; actual: number };
}

/** Reference clusterings per feature set, shared by runs in this engine process. */
const referenceCache = new Map<string, Promise<{ assignment: Int32Array; k: number }>>();

function alignmentFor(data: CompressData, pool: Uint8Array): () => Promise<Float32Array | undefined> {
  let memo: Float32Array | undefined;
  return async () => {
    if (memo) return memo;
    const f = data.features;
    if (!f) throw new MissingFeaturesError('alignment scores need image features: embed the dataset first');
    if (!f.text) return undefined; // image-only embeddings: no alignment step
    let scores: Float32Array;
    if (f.jointSpace) scores = embeddingAlignment(f.image, f.text);
    else {
      // Builtin: a ridge image→text map, cross-fitted so no pair is scored by a map that saw it.
      scores = (
        await crossFittedAlignment(f.image, f.text, {
          fitMask: pool,
          groups: data.groups,
          seed: 1,
          kernels: onnxKernels,
        })
      ).scores;
    }
    for (let i = 0; i < data.n; i++) if (!f.ok[i]) scores[i] = NaN;
    memo = scores;
    return scores;
  };
}

/** Which of the large optional feature files the spec's steps read. */
function featuresRead(spec: MethodSpec): { codes: boolean; layout: boolean } {
  const steps: StepSpec[] = spec.method === 'pipeline' ? spec.steps : [spec];
  return {
    codes: steps.some((s) => s.method === 'tldr' && s.features !== 'embedding'),
    layout: steps.some((s) => s.method === 'semdedup' && s.embedding === 'layout'),
  };
}

/**
 * A builtin set completed by an import (`import-embeddings --into`) has pairs without patch
 * codes and colour layout: the code features of TL;DR and SemDeDup's layout would treat
 * "no codes" as a code sequence, so they are refused here, before a run is created.
 */
function checkPartialFeatures(
  read: { codes: boolean; layout: boolean },
  f: FeatureData,
  model: string,
): void {
  if (read.codes && f.withoutCodes > 0) {
    throw new MissingFeaturesError(
      `TL;DR on codes needs patch codes, but ${f.withoutCodes} of the pairs with ${model} features have none ` +
        `(their vectors were imported into the set, and an import brings no codes): use features "embedding", ` +
        `or embed those pairs locally (embed --sample 1)`,
    );
  }
  if (read.layout && f.withoutLayout > 0) {
    throw new MissingFeaturesError(
      `SemDeDup's "layout" embedding needs the colour layout, but ${f.withoutLayout} of the pairs with ${model} ` +
        `features have none (their vectors were imported into the set): use embedding "image", ` +
        `or embed those pairs locally (embed --sample 1)`,
    );
  }
}

/** Runs async steps, then lets the pure composition merge them (reasons, counts after each step). */
async function runSpec(
  ctx: StepContext,
  spec: MethodSpec,
  pool: Uint8Array,
): Promise<{ selection: Selection; steps: StepResult[] }> {
  if (spec.method !== 'pipeline') {
    const r = await runStep(ctx, spec, pool);
    return { selection: r.selection, steps: [r] };
  }
  const results: StepResult[] = [];
  let eligible = pool;
  for (const step of spec.steps) {
    const r = await runStep(ctx, step as StepSpec, spec.mode === 'sequential' ? eligible : pool);
    results.push(r);
    if (spec.mode === 'sequential') {
      const next = new Uint8Array(ctx.data.n);
      for (let i = 0; i < next.length; i++) next[i] = eligible[i] && r.selection.kept[i] ? 1 : 0;
      eligible = next;
    }
  }
  const steps = spec.steps.map((s, i) => ({ name: s.method, run: () => results[i]!.selection }));
  const composed: Composition =
    spec.mode === 'sequential'
      ? runSequential(ctx.data.n, steps, { eligible: pool })
      : runIntersection(ctx.data.n, steps, { eligible: pool });
  return { selection: composed, steps: results };
}

export async function runCompress(
  ctx: CoreContext,
  jc: JobContext,
  req: CompressRequest,
): Promise<CompressResult> {
  const dataset = getDataset(ctx.db, req.datasetId);
  if (!dataset) throw new UserInputError(`no dataset with id ${req.datasetId}`);
  if (dataset.state !== 'ready')
    throw new UserInputError(`dataset ${dataset.id} is not indexed yet (${dataset.state})`);
  const model = req.model ?? 'builtin';
  jc.progress({ stage: 'load', done: 0 });
  const data = loadPairs(ctx, dataset.id);
  const wantFeatures = needsFeatures(req.spec);
  const read = featuresRead(req.spec);
  try {
    data.features = loadFeatures(ctx, data, dataset.id, model, read);
  } catch (e) {
    if (wantFeatures || !(e instanceof MissingFeaturesError)) throw e;
  }
  if (data.features) checkPartialFeatures(read, data.features, model);
  const usable = data.features ? data.features.ok : data.usable;
  const split = heldOutSplit(data.n, {
    fraction: req.heldOutFraction ?? 0.05,
    seed: req.heldOutSeed ?? 1,
    groups: data.groups,
    usable,
  });
  const label = req.label ?? describeSpec(req.spec);
  const run = createRun(ctx.db, {
    datasetId: dataset.id,
    method: req.spec.method,
    label,
    params: {
      spec: req.spec,
      model,
      heldOutFraction: req.heldOutFraction ?? 0.05,
      heldOutSeed: req.heldOutSeed ?? 1,
    },
    featureSetId: data.features?.set.id ?? null,
  });
  try {
    const stepCtx: StepContext = {
      data,
      alignment: alignmentFor(data, split.pool),
      signal: jc.signal,
      onProgress: (stage, done, total) =>
        jc.progress({ stage, done, ...(total !== undefined ? { total } : {}) }),
    };
    const { selection, steps } = await runSpec(stepCtx, req.spec, split.pool);
    jc.throwIfCancelled();

    // Per-pair results, in batches so memory stays flat.
    jc.progress({ stage: 'store', done: 0, total: data.n });
    const cluster = steps.find((s) => s.cluster)?.cluster;
    let alignment: Float32Array | undefined;
    if (data.features) alignment = await stepCtx.alignment();
    const BATCH = 50_000;
    for (let s = 0; s < data.n; s += BATCH) {
      const rows: RunPairResult[] = [];
      for (let i = s; i < Math.min(data.n, s + BATCH); i++) {
        const r = reasonAt(selection.reasons, i);
        rows.push({
          seq: i,
          kept: selection.kept[i] === 1,
          reason: split.isHeldOut[i] ? 'held-out' : `${r.step}:${r.code}`,
          cluster: cluster ? cluster[i]! : null,
          score: r.score ?? (alignment ? alignment[i]! : null),
        });
      }
      writeRunPairs(ctx.db, run.id, rows);
      jc.progress({ stage: 'store', done: Math.min(data.n, s + BATCH), total: data.n });
    }

    let evaluation;
    if (req.evaluate !== false) {
      jc.progress({ stage: 'evaluate', done: 0, total: 1 });
      let reference;
      if (data.features) {
        const key = `${data.features.set.id}:${data.features.set.updatedAt}`;
        if (!referenceCache.has(key))
          referenceCache.set(key, referenceClusters(data.features.image, data.features.ok));
        reference = await referenceCache.get(key)!;
      }
      evaluation = await evaluateRun({
        data,
        kept: selection.kept,
        pool: split.pool,
        heldOut: split.heldOut,
        alignment,
        reference,
      });
      jc.progress({ stage: 'evaluate', done: 1, total: 1 });
    }
    let eligible = 0;
    for (let i = 0; i < data.n; i++) if (split.pool[i]) eligible++;
    finishRun(ctx.db, run.id, {
      state: 'done',
      kept: selection.keptCount,
      eligible,
      stats: {
        steps: selection.stats,
        derived: selection.derived,
        budget: selection.budget,
        notes: selection.notes,
        extra: steps.map((s) => s.extra ?? {}),
        heldOut: split.heldOut.length,
      },
      evaluation,
    });
    return {
      runId: run.id,
      label,
      kept: selection.keptCount,
      eligible,
      ...(selection.budget
        ? { budget: { requested: selection.budget.requested, actual: selection.budget.actual } }
        : {}),
    };
  } catch (e) {
    finishRun(ctx.db, run.id, {
      state: 'failed',
      kept: 0,
      eligible: 0,
      stats: { error: e instanceof Error ? e.message : String(e) },
    });
    throw e;
  }
}

export function startCompressJob(ctx: CoreContext, req: CompressRequest) {
  if (!getDataset(ctx.db, req.datasetId)) throw new UserInputError(`no dataset with id ${req.datasetId}`);
  // Each compress is a new run: a unique resume key, so a finished run is never "resumed".
  return ctx.jobs.start(
    'compress',
    req.datasetId,
    { resumeKey: `${Date.now()}-${Math.random()}`, spec: req.spec },
    (jc) => runCompress(ctx, jc, req),
  );
}
