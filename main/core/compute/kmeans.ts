// k-means entry points: in-memory (`kmeans`) and over a chunked row source
// (`kmeansStream`, e.g. a vector file). Seeding: k-means++ on a sample
// (kmeans-seeding.ts); then full-batch Lloyd, or mini-batch when `miniBatch` is set.
// The O(N·K·d) assignment always runs as an ONNX graph (graphs/assign.ts).
import { normalizeRows } from './graphs/assign';
import { seedCentroids } from './kmeans-seeding';
import { lloyd, type LloydOptions } from './kmeans-lloyd';
import { miniBatchKMeans } from './kmeans-minibatch';
import { lloydPruned } from './kmeans-pruned';
import { assignAll, gatherRows, trainingSample } from './kmeans-sampled';
import { matrixSource, type RowSource } from './row-source';
import type { KMeansOptions, KMeansResult, Matrix } from './types';

export interface KMeansRunOptions extends KMeansOptions, Omit<LloydOptions, keyof KMeansOptions> {
  /** Start from these centroids instead of seeding (unit rows for cosine). */
  init?: Matrix;
  /** Rows k-means++ seeding runs on (see kmeans-seeding.ts). */
  seedSample?: number;
  /** Candidates per k-means++ step (1 = classic k-means++). */
  seedTrials?: number;
  /** Mini-batch: rows per contiguous read. */
  blockRows?: number;
  /**
   * L2 full batch: skip rows whose assignment provably cannot change (Hamerly bounds,
   * kmeans-pruned.ts). Same result as plain Lloyd; default true.
   */
  prune?: boolean;
  /**
   * Train on a seeded sample of at most this many rows, then assign every row once
   * (faiss's behaviour above 256 points per centroid; see kmeans-sampled.ts).
   */
  maxTrainRows?: number;
  /** Progress of that final assignment pass. */
  onAssign?: (done: number, total: number) => void;
}

export async function kmeansStream(src: RowSource, opts: KMeansRunOptions): Promise<KMeansResult> {
  if (!Number.isInteger(opts.k) || opts.k < 1) throw new Error(`k-means: K = ${opts.k}`);
  if (opts.k > src.rows) throw new Error(`k-means: K = ${opts.k} > ${src.rows} rows`);
  if (!(opts.iterations >= 0)) throw new Error(`k-means: iterations = ${opts.iterations}`);
  const maxTrain = opts.maxTrainRows;
  if (maxTrain !== undefined && src.rows > Math.max(maxTrain, opts.k)) {
    const sample = trainingSample(src.rows, Math.max(maxTrain, opts.k), opts.seed);
    const train = await gatherRows(src, sample);
    const { maxTrainRows: _skip, ...rest } = opts;
    const fitted = await kmeansStream(matrixSource(train), rest);
    const all = await assignAll(src, fitted.centroids, opts.metric, {
      signal: opts.signal,
      onProgress: opts.onAssign,
    });
    return { ...all, centroids: fitted.centroids, iterations: fitted.iterations };
  }
  let init = opts.init;
  if (init) {
    if (init.rows !== opts.k || init.cols !== src.cols) throw new Error('k-means: init has the wrong shape');
    if (opts.metric === 'cosine') init = normalizeRows(init);
  } else {
    init = await seedCentroids(src, opts.k, {
      seed: opts.seed,
      metric: opts.metric,
      ...(opts.seedSample !== undefined && { sampleSize: opts.seedSample }),
      ...(opts.seedTrials !== undefined && { trials: opts.seedTrials }),
      ...(opts.signal && { signal: opts.signal }),
      ...(opts.cache && { cache: opts.cache }),
    });
  }
  if (opts.miniBatch !== undefined) return miniBatchKMeans(src, init, { ...opts, miniBatch: opts.miniBatch });
  if (opts.metric === 'l2' && opts.k >= 2 && opts.prune !== false) return lloydPruned(src, init, opts);
  return lloyd(src, init, opts);
}

export function kmeans(x: Matrix, opts: KMeansRunOptions): Promise<KMeansResult> {
  return kmeansStream(matrixSource(x), opts);
}
