// Near-duplicate rate of a selection: the fraction of kept pairs that have another kept pair
// with cosine above a threshold. Exact over all kept pairs when small; estimated on a seeded
// sample of query pairs (against all kept pairs) when large, with a Wilson interval.
import type { Matrix, TopKResult } from '../compute/types';
import { permutation } from '../methods/rng';
import { jsKernels, type LinearKernels } from '../methods/kernels';
import type { Estimate } from './uncertainty';
import { proportionInterval } from './uncertainty';

export interface NearDuplicateOptions {
  /** Cosine above which two pairs are near-duplicates (e.g. 0.95). */
  threshold: number;
  /** Top-k of the kept rows against themselves (row t ↔ kept[t]; indices are positions in `kept`). */
  neighbours?: TopKResult;
  /** Query at most this many kept pairs (default 5000); the rate is then an estimate. */
  maxQueries?: number;
  seed?: number;
  /** Where the similarity blocks are computed (default plain JS). */
  kernels?: LinearKernels;
}

export interface NearDuplicateRate {
  rate: number;
  estimate: Estimate;
  withDuplicate: number;
  queries: number;
  kept: number;
  exact: boolean;
}

export async function nearDuplicateRate(
  x: Matrix,
  kept: ArrayLike<number>,
  opts: NearDuplicateOptions,
): Promise<NearDuplicateRate> {
  const K = kept.length;
  if (opts.neighbours) {
    const nb = opts.neighbours;
    if (nb.indices.length !== K * nb.k) throw new RangeError('neighbours do not match the kept rows');
    let dup = 0;
    for (let t = 0; t < K; t++) {
      for (let j = 0; j < nb.k; j++) {
        const other = nb.indices[t * nb.k + j] as number;
        if (other === t || other < 0) continue;
        if ((nb.scores[t * nb.k + j] as number) > opts.threshold) dup++;
        break; // best non-self neighbour decides
      }
    }
    return {
      rate: K ? dup / K : 0,
      estimate: proportionInterval(dup, K),
      withDuplicate: dup,
      queries: K,
      kept: K,
      exact: true,
    };
  }
  const maxQ = opts.maxQueries ?? 5000;
  const exact = K <= maxQ;
  const queryPos = exact
    ? Int32Array.from({ length: K }, (_, t) => t)
    : permutation(K, opts.seed ?? 0).subarray(0, maxQ);
  const Q = queryPos.length;
  const queries = Int32Array.from(queryPos, (t) => kept[t] as number);
  // Each query's best cosine with another kept pair (its own row excluded).
  const best = await (opts.kernels ?? jsKernels).maxCosine(x, queries, kept);
  let dup = 0;
  for (let q = 0; q < Q; q++) if ((best[q] as number) > opts.threshold) dup++;
  return {
    rate: Q ? dup / Q : 0,
    estimate: proportionInterval(dup, Q),
    withDuplicate: dup,
    queries: Q,
    kept: K,
    exact,
  };
}
