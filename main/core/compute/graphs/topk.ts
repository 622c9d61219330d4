// Top-k nearest neighbours by cosine (or raw dot product): Gemm + TopK on a block of
// queries against a block of the base set; blocks are merged in TS so that no n × m
// score matrix exists beyond one block. Self-exclusion asks the graph for k + 1 and
// drops the query's own row (or, when exact duplicates tie with it, the last one).
import { GraphBuilder } from '../graph-builder';
import { memoryBudgetBytes } from '../chunking';
import { sessions as defaultSessions, type SessionCache } from '../sessions';
import { f32, i64, outputF32, outputI32, rowsOf, throwIfAborted } from '../tensors';
import type { Matrix, TopKResult } from '../types';

export type SimilarityMetric = 'cosine' | 'dot';

function unit(g: GraphBuilder, x: string): string {
  const sq = g.op('ReduceSumSquare', [x], { axes: [1], keepdims: 1 });
  const norm = g.op('Max', [g.op('Sqrt', [sq]), g.constant('float32', [1e-12], [])]);
  return g.op('Div', [x, norm]);
}

export function buildTopKGraph(d: number, metric: SimilarityMetric): Uint8Array {
  const g = new GraphBuilder(`topk_${metric}_${d}`);
  let q = g.input('q', 'float32', ['n', d]);
  let b = g.input('b', 'float32', ['m', d]);
  const k = g.input('k', 'int64', [1]);
  if (metric === 'cosine') {
    q = unit(g, q);
    b = unit(g, b);
  }
  const scores = g.op('Gemm', [q, b], { transB: 1 });
  const [values, idx] = g.node('TopK', [scores, k], 2, { axis: 1, largest: 1, sorted: 1 });
  g.output(values!, 'float32', ['n', 'kk'], 'scores');
  g.output(g.op('Cast', [idx!], { to: 6 }), 'int32', ['n', 'kk'], 'indices');
  return g.build();
}

export interface TopKOptions {
  metric?: SimilarityMetric;
  /** Queries are rows of the base set: never return a query as its own neighbour. */
  excludeSelf?: boolean;
  /** With excludeSelf: query row r is base row queryOffset + r (default 0). */
  queryOffset?: number;
  /** Rows of the base set per block (default from the memory budget). */
  baseBlockRows?: number;
  queryBlockRows?: number;
  signal?: AbortSignal;
  cache?: SessionCache;
}

/** For each query row, the k base rows with the highest cosine, best first. */
export async function topkNeighbours(
  query: Matrix,
  base: Matrix,
  k: number,
  opts: TopKOptions = {},
): Promise<TopKResult> {
  if (query.cols !== base.cols) throw new Error(`query has ${query.cols} dims, base ${base.cols}`);
  const metric = opts.metric ?? 'cosine';
  const d = base.cols;
  const excl = opts.excludeSelf ?? false;
  const kk = Math.max(0, Math.min(k, base.rows - (excl ? 1 : 0)));
  const n = query.rows;
  const indices = new Int32Array(n * kk).fill(-1);
  const scores = new Float32Array(n * kk).fill(-Infinity);
  if (kk === 0 || n === 0) return { indices, scores, k: kk };

  const cache = opts.cache ?? defaultSessions;
  const session = await cache.get(`topk:${metric}:${d}`, () => buildTopKGraph(d, metric));
  const budget = memoryBudgetBytes();
  const baseBlock = Math.max(kk + 1, Math.min(base.rows, opts.baseBlockRows ?? 32768));
  // scores block (n × baseBlock) plus TopK's working copy
  const queryBlock = Math.max(
    1,
    Math.min(n, opts.queryBlockRows ?? Math.floor(budget / (8 * baseBlock + 8 * d)), 4096),
  );
  const want = kk + (excl ? 1 : 0);
  const off = opts.queryOffset ?? 0;

  const rowI = new Int32Array(kk);
  const rowS = new Float32Array(kk);
  const cI = new Int32Array(kk);
  const cS = new Float32Array(kk);
  for (let qs = 0; qs < n; qs += queryBlock) {
    const qn = Math.min(queryBlock, n - qs);
    const qt = f32(rowsOf(query, qs, qn), [qn, d]);
    const filled = new Int32Array(qn); // results so far per row
    for (let bs = 0; bs < base.rows; bs += baseBlock) {
      throwIfAborted(opts.signal);
      const bn = Math.min(baseBlock, base.rows - bs);
      const kb = Math.min(want, bn);
      const out = await session.run({ q: qt, b: f32(rowsOf(base, bs, bn), [bn, d]), k: i64([kb]) });
      const bi = outputI32(out, 'indices');
      const bsc = outputF32(out, 'scores');
      for (let r = 0; r < qn; r++) {
        const self = excl ? off + qs + r - bs : -1;
        // this block's candidates for row r, self dropped, at most kk
        let cnt = 0;
        for (let j = 0; j < kb && cnt < kk; j++) {
          const idx = bi[r * kb + j]!;
          if (idx === self) continue;
          cI[cnt] = idx + bs;
          cS[cnt] = bsc[r * kb + j]!;
          cnt++;
        }
        // merge with the running top-k of row r (both sorted, best first)
        const o = (qs + r) * kk;
        const have = filled[r]!;
        let a = 0;
        let b = 0;
        let m = 0;
        while (m < kk && (a < have || b < cnt)) {
          const takeA = b >= cnt || (a < have && scores[o + a]! >= cS[b]!);
          if (takeA) {
            rowI[m] = indices[o + a]!;
            rowS[m] = scores[o + a]!;
            a++;
          } else {
            rowI[m] = cI[b]!;
            rowS[m] = cS[b]!;
            b++;
          }
          m++;
        }
        indices.set(rowI.subarray(0, m), o);
        scores.set(rowS.subarray(0, m), o);
        filled[r] = m;
      }
    }
  }
  return { indices, scores, k: kk };
}
