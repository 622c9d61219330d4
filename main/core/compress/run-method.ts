// One method step over the loaded data: build what it needs (clusters with the ONNX
// k-means, PCA-whitened code sequences, alignment scores) and call the pure method.
import { fitPca, transformPca } from '../compute/pca';
import { kmeansStream } from '../compute/kmeans';
import { MAX_POINTS_PER_CENTROID } from '../compute/kmeans-sampled';
import { matrixSource, type RowSource } from '../compute/row-source';
import type { KMeansResult, Matrix, Metric } from '../compute/types';
import {
  alignmentFilter,
  densityPruning,
  firstKSelection,
  layoutEmbedding,
  prototypicalitySelect,
  randomSelection,
  semDeDup,
  tfidfBagOfCodes,
  tldrSelect,
  wfppSelect,
  type Selection,
} from '../methods';
import { l2NormalizeRows } from '../methods/vectors';
import type { CompressData, FeatureData } from './load-data';
import { MissingFeaturesError } from './load-data';
import type { StepSpec } from './spec';

export interface StepContext {
  data: CompressData;
  /** Per-pair alignment score (NaN where none), computed once per run. */
  alignment: () => Promise<Float32Array | undefined>;
  signal?: AbortSignal | undefined;
  onProgress?: ((stage: string, done: number, total?: number) => void) | undefined;
}

export interface StepResult {
  selection: Selection;
  /** Cluster of each pair (−1: none), when the step clustered. */
  cluster?: Int32Array;
  /** Extra results worth keeping in the run's stats (SemDeDup's per-ε counts, quotas…). */
  extra?: Record<string, unknown>;
}

function requireFeatures(ctx: StepContext, what: string): FeatureData {
  if (!ctx.data.features)
    throw new MissingFeaturesError(`${what} needs image features: embed the dataset first`);
  return ctx.data.features;
}

function indicesOf(mask: Uint8Array): Int32Array {
  let c = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) c++;
  const out = new Int32Array(c);
  for (let i = 0, j = 0; i < mask.length; i++) if (mask[i]) out[j++] = i;
  return out;
}

/** k-means over the eligible rows only; the result mapped back to every pair (−1 elsewhere). */
async function clusterRows(
  ctx: StepContext,
  x: RowSource,
  rows: Int32Array,
  o: { k: number; iterations: number; seed: number; metric: Metric },
): Promise<{ result: KMeansResult; assignment: Int32Array; distances: Float32Array; trainedOn: number }> {
  const k = Math.max(1, Math.min(o.k, rows.length));
  // faiss's default: at most 256 training points per centroid, then one assignment pass.
  const maxTrainRows = k * MAX_POINTS_PER_CENTROID;
  const r = await kmeansStream(x, {
    k,
    iterations: o.iterations,
    seed: o.seed,
    metric: o.metric,
    maxTrainRows,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    onIteration: (it) => ctx.onProgress?.('k-means', it + 1, o.iterations),
    onAssign: (done, total) => ctx.onProgress?.('assign', done, total),
  });
  const n = ctx.data.n;
  const assignment = new Int32Array(n).fill(-1);
  const distances = new Float32Array(n).fill(NaN);
  rows.forEach((row, i) => {
    assignment[row] = r.assignment[i]!;
    distances[row] = r.distances[i]!;
  });
  return { result: r, assignment, distances, trainedOn: Math.min(rows.length, maxTrainRows) };
}

/**
 * The given rows of a matrix as a row source, gathered chunk by chunk: k-means over the
 * eligible pairs without copying the whole matrix (3 GB at CC3M scale).
 */
export function subsetSource(m: Matrix, rows: Int32Array): RowSource {
  if (rows.length === m.rows) return matrixSource(m);
  let buf = new Float32Array(0);
  return {
    rows: rows.length,
    cols: m.cols,
    read(start, count) {
      if (buf.length < count * m.cols) buf = new Float32Array(count * m.cols);
      for (let k = 0; k < count; k++) {
        const r = rows[start + k]!;
        buf.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), k * m.cols);
      }
      return buf.subarray(0, count * m.cols);
    },
  };
}

/** The features TL;DR clusters, for the eligible rows, in row order. */
async function tldrFeatures(
  ctx: StepContext,
  f: FeatureData,
  rows: Int32Array,
  mode: 'code-sequence' | 'bag-of-codes' | 'embedding',
): Promise<{ x: RowSource; metric: Metric }> {
  // Feature vectors are unit-length from loadFeatures on.
  if (mode === 'embedding') return { x: subsetSource(f.image, rows), metric: 'cosine' };
  if (!f.codes || f.patchCount === 0) {
    throw new MissingFeaturesError(
      `TL;DR "${mode}" needs patch codes, which this feature set (${f.set.model}) does not have (imported embeddings?): use features "embedding"`,
    );
  }
  const T = f.patchCount;
  const codes = new Int32Array(rows.length * T);
  rows.forEach((r, i) => codes.set(f.codes!.subarray(r * T, (r + 1) * T), i * T));
  if (mode === 'bag-of-codes')
    return { x: matrixSource(tfidfBagOfCodes(codes, T, f.codebookSize)), metric: 'cosine' };
  // Faithful: the index sequence as numbers, PCA-whitened to min(256, T), L2-normalised.
  const x: Matrix = { data: Float32Array.from(codes), rows: rows.length, cols: T };
  ctx.onProgress?.('PCA', 0, 1);
  const model = await fitPca(x, {
    components: Math.min(256, T),
    whiten: true,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const projected = await transformPca(model, x, ctx.signal ? { signal: ctx.signal } : {});
  ctx.onProgress?.('PCA', 1, 1);
  return { x: matrixSource(l2NormalizeRows(projected)), metric: 'l2' };
}

/** Says in the run's notes when the centroids were trained on a sample. */
function withSampleNote<T extends Selection>(sel: T, c: { trainedOn: number }, rows: Int32Array): T {
  if (c.trainedOn < rows.length)
    sel.notes.push(
      `k-means centroids trained on a seeded sample of ${c.trainedOn} of ${rows.length} pairs (${MAX_POINTS_PER_CENTROID} per centroid, as faiss does); every pair then assigned to its nearest centroid.`,
    );
  return sel;
}

export async function runStep(ctx: StepContext, spec: StepSpec, eligible: Uint8Array): Promise<StepResult> {
  const { n } = ctx.data;
  switch (spec.method) {
    case 'random':
      return { selection: randomSelection(n, { budget: spec.budget, seed: spec.seed, eligible }) };
    case 'first-k':
      return { selection: firstKSelection(n, { budget: spec.budget, eligible }) };
    case 'wfpp': {
      const r = wfppSelect(ctx.data.captions, {
        budget: spec.budget,
        t: spec.t,
        minCount: spec.minCount,
        variant: spec.variant,
        maxWords: spec.maxWords,
        eligible,
      });
      return { selection: r };
    }
    case 'alignment': {
      requireFeatures(ctx, 'The alignment filter');
      const scores = await ctx.alignment();
      if (!scores)
        throw new MissingFeaturesError(
          'the alignment filter needs text vectors, which this feature set does not have',
        );
      const sel = spec.budget
        ? alignmentFilter(scores, { budget: spec.budget, eligible })
        : alignmentFilter(scores, { threshold: spec.threshold ?? 0.25, eligible });
      return { selection: sel };
    }
    case 'tldr': {
      const f = requireFeatures(ctx, 'TL;DR');
      const rows = indicesOf(eligible);
      const { x, metric } = await tldrFeatures(ctx, f, rows, spec.features);
      const c = await clusterRows(ctx, x, rows, {
        k: spec.clusters,
        iterations: spec.iterations,
        seed: spec.seed,
        metric,
      });
      const alignment = await ctx.alignment();
      const sel = tldrSelect(n, {
        assignment: c.assignment,
        ...(alignment ? { alignment } : {}),
        budget: spec.budget,
        pick: spec.pick,
        distances: c.distances,
        exactBudget: spec.exactBudget,
        eligible,
        ...(spec.stride !== undefined ? { stride: spec.stride } : {}),
        ...(spec.alignmentFraction !== undefined ? { alignmentFraction: spec.alignmentFraction } : {}),
      });
      return {
        selection: withSampleNote(sel, c, rows),
        cluster: c.assignment,
        extra: { clusters: c.result.centroids.rows, inertia: c.result.inertia, trainedOn: c.trainedOn },
      };
    }
    case 'semdedup': {
      const f = requireFeatures(ctx, 'SemDeDup');
      const rows = indicesOf(eligible);
      if (spec.embedding === 'layout' && !f.layout) {
        throw new MissingFeaturesError(
          `SemDeDup's "layout" embedding needs the colour layout the builtin model stores (this feature set, ${f.set.model}, has none: embed with the builtin model again, or use embedding "image")`,
        );
      }
      const emb =
        spec.embedding === 'layout' ? layoutEmbedding(f.layout!, { eligible, image: f.image }) : f.image;
      const c = await clusterRows(ctx, subsetSource(emb, rows), rows, {
        k: spec.clusters,
        iterations: 20,
        seed: spec.seed,
        metric: 'cosine',
      });
      const r = semDeDup({
        embeddings: emb,
        assignment: c.assignment,
        centroids: c.result.centroids,
        epsilons: spec.epsilons,
        ...(spec.primary !== undefined ? { primary: spec.primary } : {}),
        distances: c.distances,
        eligible,
      });
      return {
        selection: withSampleNote(r, c, rows),
        cluster: c.assignment,
        extra: {
          perEpsilon: r.perEpsilon.map((e) => ({ epsilon: e.epsilon, threshold: e.threshold, kept: e.kept })),
        },
      };
    }
    case 'prototypicality':
    case 'density': {
      const f = requireFeatures(ctx, spec.method === 'density' ? 'Density-based pruning' : 'Prototypicality');
      const rows = indicesOf(eligible);
      const c = await clusterRows(ctx, subsetSource(f.image, rows), rows, {
        k: spec.clusters,
        iterations: 20,
        seed: spec.seed,
        metric: 'cosine',
      });
      if (spec.method === 'prototypicality') {
        return {
          selection: withSampleNote(
            prototypicalitySelect({
              distances: c.distances,
              budget: spec.budget,
              keep: spec.keep,
              eligible,
            }),
            c,
            rows,
          ),
          cluster: c.assignment,
        };
      }
      const r = densityPruning({
        assignment: c.assignment,
        centroids: c.result.centroids,
        distances: c.distances,
        metric: 'cosine',
        budget: spec.budget,
        temperature: spec.temperature,
        eligible,
      });
      return {
        selection: withSampleNote(r, c, rows),
        cluster: c.assignment,
        extra: { quotas: Array.from(r.quotas) },
      };
    }
  }
}
