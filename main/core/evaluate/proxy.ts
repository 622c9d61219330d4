// Proxy training: judge a subset without pre-training a VLP model. Fit the closed-form ridge
// image→text map on the SELECTED pairs only, then retrieve on the held-out pairs (which were
// excluded from selection). Side by side: a random subset of the same size (over ≥ 5 seeds)
// and the full pool. Small-scale proxies can mis-rank methods: PROXY_CAVEAT says so.
import type { Matrix } from '../compute/types';
import type { RidgeOptions } from '../methods/alignment';
import { centreRows, fitRidge } from '../methods/alignment';
import { jsKernels, type LinearKernels } from '../methods/kernels';
import { permutation } from '../methods/rng';
import { countMask, maskIndices } from '../methods/selection';
import type { RecallTable, RetrievalRanks } from './retrieval';
import { hitsAtK, recallTable, retrievalRanks } from './retrieval';
import type { Comparison, Estimate } from './uncertainty';
import { bootstrapMean, comparePaired, seedInterval } from './uncertainty';

export const PROXY_CAVEAT =
  'Proxy metrics (a linear map fitted on the subset, retrieval on held-out pairs) are a cheap stand-in for pre-training; at small scale they can mis-rank methods.';

export interface ProxyData {
  /** Features of every pair (row = pair): builtin image descriptors and text vectors, or embeddings. */
  image: Matrix;
  text: Matrix;
  /** Held-out pairs (from heldOutSplit), never selectable. */
  heldOut: Int32Array;
  /** Image group per pair (pairs sharing an image), for the retrieval protocol. */
  groups?: Int32Array;
  ridge?: RidgeOptions;
  ks?: number[];
  maxBlockFloats?: number;
  /** Where the Gram matrices, projections and similarity blocks run (default plain JS). */
  kernels?: LinearKernels;
}

export interface ProxyRun {
  trainPairs: number;
  alpha: number;
  ranks: RetrievalRanks;
  recall: RecallTable;
}

/** Fits the ridge map on the pairs with train[i] = 1 and retrieves on the held-out pairs. */
export async function proxyRun(train: Uint8Array, data: ProxyData): Promise<ProxyRun> {
  const kernels = data.kernels ?? jsKernels;
  const n = data.image.rows;
  if (train.length !== n) throw new RangeError(`train mask has ${train.length} entries, expected ${n}`);
  for (const i of data.heldOut) if (train[i]) throw new Error(`held-out pair ${i} is in the training subset`);
  const rows = maskIndices(train);
  const map = fitRidge(await kernels.ridgeStats(data.image, data.text, rows), data.ridge);
  const img = await kernels.applyRidge(map, data.image, data.heldOut);
  const txt = centreRows(data.text, map.meanY, data.heldOut);
  const groups = data.groups ? Int32Array.from(data.heldOut, (i) => data.groups![i] as number) : undefined;
  const ranks = await retrievalRanks(img, txt, {
    kernels,
    ...(groups ? { groups } : {}),
    ...(data.maxBlockFloats !== undefined ? { maxBlockFloats: data.maxBlockFloats } : {}),
  });
  return { trainPairs: rows.length, alpha: map.alpha, ranks, recall: recallTable(ranks, data.ks) };
}

export interface ProxyMetric {
  /** 'i2t@1', 't2i@5', … */
  name: string;
  estimate: Estimate;
}

export interface ProxyArm {
  label: string;
  trainPairs: number;
  metrics: ProxyMetric[];
  /** Per metric, per query: hit (0/1), or the mean hit over seeds for the random arm. */
  hits: Map<string, Float64Array>;
}

export interface ProxySuite {
  ks: number[];
  selection: ProxyArm;
  random: ProxyArm;
  full: ProxyArm;
  /** Per metric: selection vs random, selection vs full (paired on the held-out queries). */
  vsRandom: Map<string, Comparison>;
  vsFull: Map<string, Comparison>;
  caveat: string;
}

export interface ProxySuiteOptions {
  /** Seeds for the random subsets of the same size (≥ 5). */
  seeds?: number[];
  resamples?: number;
  bootstrapSeed?: number;
}

function metricHits(run: ProxyRun, ks: number[]): Map<string, Float64Array> {
  const m = new Map<string, Float64Array>();
  for (const k of ks) {
    m.set(`i2t@${k}`, hitsAtK(run.ranks.i2tRanks, k));
    m.set(`t2i@${k}`, hitsAtK(run.ranks.t2iRanks, k));
  }
  return m;
}

function bootstrapArm(label: string, run: ProxyRun, ks: number[], opts: ProxySuiteOptions): ProxyArm {
  const hits = metricHits(run, ks);
  const metrics = [...hits].map(([name, h]) => ({
    name,
    estimate: bootstrapMean(h, { resamples: opts.resamples ?? 1000, seed: opts.bootstrapSeed ?? 0 }),
  }));
  return { label, trainPairs: run.trainPairs, metrics, hits };
}

/**
 * The three arms on the same held-out pairs. `selected` = the run's kept mask; `pool` = the
 * pairs selection could choose from (heldOutSplit().pool).
 */
export async function proxySuite(
  selected: Uint8Array,
  pool: Uint8Array,
  data: ProxyData,
  opts: ProxySuiteOptions = {},
): Promise<ProxySuite> {
  const ks = data.ks ?? [1, 5, 10];
  const seeds = opts.seeds ?? [1, 2, 3, 4, 5];
  if (seeds.length < 2) throw new RangeError('the random arm needs at least 2 seeds (5 recommended)');
  const n = pool.length;
  const sel = new Uint8Array(n);
  for (let i = 0; i < n; i++) sel[i] = selected[i] && pool[i] ? 1 : 0;
  const size = countMask(sel);
  const poolIdx = maskIndices(pool);

  const selection = bootstrapArm('selection', await proxyRun(sel, data), ks, opts);
  const full = bootstrapArm('full pool', await proxyRun(pool, data), ks, opts);

  // Random arm: same size, several seeds; interval over seeds, hits averaged per query.
  const perSeed: Map<string, number[]> = new Map();
  const meanHits = new Map<string, Float64Array>();
  for (const seed of seeds) {
    const perm = permutation(poolIdx.length, seed);
    const mask = new Uint8Array(n);
    for (let k = 0; k < size; k++) mask[poolIdx[perm[k] as number] as number] = 1;
    const run = await proxyRun(mask, data);
    for (const [name, h] of metricHits(run, ks)) {
      let acc = meanHits.get(name);
      if (!acc) meanHits.set(name, (acc = new Float64Array(h.length)));
      let s = 0;
      for (let q = 0; q < h.length; q++) {
        acc[q]! += (h[q] as number) / seeds.length;
        s += h[q] as number;
      }
      const list = perSeed.get(name) ?? [];
      list.push(h.length ? s / h.length : NaN);
      perSeed.set(name, list);
    }
  }
  const random: ProxyArm = {
    label: `random (${seeds.length} seeds)`,
    trainPairs: size,
    metrics: [...perSeed].map(([name, v]) => ({ name, estimate: seedInterval(v) })),
    hits: meanHits,
  };

  const vsRandom = new Map<string, Comparison>();
  const vsFull = new Map<string, Comparison>();
  for (const [name, h] of selection.hits) {
    const bs = { resamples: opts.resamples ?? 1000, seed: opts.bootstrapSeed ?? 0 };
    const cmp = comparePaired(h, meanHits.get(name) as Float64Array, bs);
    // The random arm also varies with its draw: widen by the seed spread (in quadrature).
    const seedEst = random.metrics.find((m) => m.name === name)?.estimate;
    if (seedEst && Number.isFinite(seedEst.high - seedEst.low)) {
      const extra = (seedEst.high - seedEst.low) / 2;
      const half = (cmp.difference.high - cmp.difference.low) / 2;
      const centre = cmp.difference.value;
      const widened = Math.sqrt(half * half + extra * extra);
      cmp.difference = { ...cmp.difference, low: centre - widened, high: centre + widened, method: 'normal' };
      const d = cmp.difference;
      cmp.verdict = d.low > 0 ? 'a better' : d.high < 0 ? 'b better' : 'no significant difference';
    }
    vsRandom.set(name, cmp);
    vsFull.set(name, comparePaired(h, full.hits.get(name) as Float64Array, bs));
  }
  return { ks, selection, random, full, vsRandom, vsFull, caveat: PROXY_CAVEAT };
}
