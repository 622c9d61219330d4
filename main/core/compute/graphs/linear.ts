// The dense products of the evaluation and the builtin alignment score as ONNX Gemm graphs:
// plain-JS loops ran them at ~0.25 GFLOP/s, hours at CC3M scale. Rows are gathered block by
// block (a list of row indices, or all rows), each block's products summed in float64.
//   cross-gram  Σ x xᵀ, Σ x yᵀ, Σ x, Σ y over the listed rows (ridge sufficient statistics)
//   product     A[rows] · B[rows]ᵀ (similarity blocks for retrieval and near-duplicates)
//   affine      (x − μ) W for the listed rows (applying a ridge map)
//   max-cosine  each query's best cosine in a gallery, itself excluded (near-duplicate rate)
import { GraphBuilder } from '../graph-builder';
import { sessions as defaultSessions, type SessionCache } from '../sessions';
import { f32, i64, outputF32, outputI32 } from '../tensors';
import { buildTopKGraph } from './topk';
import type { Matrix } from '../types';

/** Rows per gathered block: 4096 × 256 floats = 4 MiB, large enough for Gemm to be efficient. */
const BLOCK_ROWS = 4096;

export function buildCrossGramGraph(dx: number, dy: number): Uint8Array {
  const g = new GraphBuilder(`crossgram_${dx}_${dy}`);
  const x = g.input('x', 'float32', ['n', dx]);
  const y = g.input('y', 'float32', ['n', dy]);
  const axes = g.constant('int64', [0]);
  g.output(g.op('Gemm', [x, x], { transA: 1 }), 'float32', [dx, dx], 'xx');
  g.output(g.op('Gemm', [x, y], { transA: 1 }), 'float32', [dx, dy], 'xy');
  g.output(g.op('ReduceSum', [x, axes], { keepdims: 0 }), 'float32', [dx], 'sx');
  g.output(g.op('ReduceSum', [y, axes], { keepdims: 0 }), 'float32', [dy], 'sy');
  return g.build();
}

export function buildProductGraph(d: number): Uint8Array {
  const g = new GraphBuilder(`product_${d}`);
  const a = g.input('a', 'float32', ['n', d]);
  const b = g.input('b', 'float32', ['m', d]);
  g.output(g.op('Gemm', [a, b], { transB: 1 }), 'float32', ['n', 'm'], 'ab');
  return g.build();
}

export function buildAffineGraph(dx: number, dy: number): Uint8Array {
  const g = new GraphBuilder(`affine_${dx}_${dy}`);
  const x = g.input('x', 'float32', ['n', dx]);
  const mean = g.input('mean', 'float32', [dx]);
  const w = g.input('w', 'float32', [dx, dy]);
  g.output(g.op('MatMul', [g.op('Sub', [x, mean]), w]), 'float32', ['n', dy], 'out');
  return g.build();
}

/** Rows [start, start + count) of the list (or of all rows) copied into `buf`. */
function gather(
  m: Matrix,
  rows: ArrayLike<number> | undefined,
  start: number,
  count: number,
  buf: Float32Array,
): Float32Array {
  const d = m.cols;
  if (!rows) return m.data.subarray(start * d, (start + count) * d);
  for (let k = 0; k < count; k++) {
    const r = rows[start + k] as number;
    buf.set(m.data.subarray(r * d, (r + 1) * d), k * d);
  }
  return buf.subarray(0, count * d);
}

export interface CrossGram {
  n: number;
  dx: number;
  dy: number;
  sx: Float64Array;
  sy: Float64Array;
  xx: Float64Array;
  xy: Float64Array;
}

/** Ridge sufficient statistics of the listed rows (all rows when `rows` is absent). */
export async function crossGram(
  x: Matrix,
  y: Matrix,
  rows?: ArrayLike<number>,
  cache: SessionCache = defaultSessions,
): Promise<CrossGram> {
  if (x.rows !== y.rows) throw new RangeError(`cross-gram: ${x.rows} image rows vs ${y.rows} text rows`);
  const dx = x.cols;
  const dy = y.cols;
  const session = await cache.get(`crossgram:${dx}:${dy}`, () => buildCrossGramGraph(dx, dy));
  const s: CrossGram = {
    n: 0,
    dx,
    dy,
    sx: new Float64Array(dx),
    sy: new Float64Array(dy),
    xx: new Float64Array(dx * dx),
    xy: new Float64Array(dx * dy),
  };
  const m = rows ? rows.length : x.rows;
  const bx = new Float32Array(rows ? BLOCK_ROWS * dx : 0);
  const by = new Float32Array(rows ? BLOCK_ROWS * dy : 0);
  const add = (acc: Float64Array, v: Float32Array): void => {
    for (let k = 0; k < acc.length; k++) acc[k] = acc[k]! + v[k]!;
  };
  for (let s0 = 0; s0 < m; s0 += BLOCK_ROWS) {
    const n = Math.min(BLOCK_ROWS, m - s0);
    const out = await session.run({
      x: f32(gather(x, rows, s0, n, bx), [n, dx]),
      y: f32(gather(y, rows, s0, n, by), [n, dy]),
    });
    add(s.xx, outputF32(out, 'xx'));
    add(s.xy, outputF32(out, 'xy'));
    add(s.sx, outputF32(out, 'sx'));
    add(s.sy, outputF32(out, 'sy'));
  }
  s.n = m;
  return s;
}

/** A[aRows] · B[bRows]ᵀ, row-major aRows.length × bRows.length, into `out` when it is large enough. */
export async function productBlock(
  a: Matrix,
  aRows: ArrayLike<number>,
  b: Matrix,
  bRows: ArrayLike<number>,
  out?: Float32Array,
  cache: SessionCache = defaultSessions,
): Promise<Float32Array> {
  const d = a.cols;
  if (b.cols !== d) throw new RangeError('product: widths differ');
  const na = aRows.length;
  const nb = bRows.length;
  const res = out && out.length >= na * nb ? out : new Float32Array(na * nb);
  if (na === 0 || nb === 0) return res;
  const session = await cache.get(`product:${d}`, () => buildProductGraph(d));
  const qa = gather(a, aRows, 0, na, new Float32Array(na * d));
  // The B side in blocks, so the gathered copy stays small when B is a large gallery.
  const bb = new Float32Array(Math.min(nb, BLOCK_ROWS * 4) * d);
  const qt = f32(qa, [na, d]);
  for (let s0 = 0; s0 < nb; s0 += bb.length / d) {
    const n = Math.min(bb.length / d, nb - s0);
    const r = outputF32(await session.run({ a: qt, b: f32(gather(b, bRows, s0, n, bb), [n, d]) }), 'ab');
    if (n === nb) res.set(r.subarray(0, na * nb));
    else for (let i = 0; i < na; i++) res.set(r.subarray(i * n, (i + 1) * n), i * nb + s0);
  }
  return res;
}

/** (x_i − μ) W for the listed rows (all when absent); W is dx × dy row-major. */
export async function affineRows(
  x: Matrix,
  w: ArrayLike<number>,
  dy: number,
  mean: ArrayLike<number>,
  rows?: ArrayLike<number>,
  cache: SessionCache = defaultSessions,
): Promise<Matrix> {
  const dx = x.cols;
  const session = await cache.get(`affine:${dx}:${dy}`, () => buildAffineGraph(dx, dy));
  const m = rows ? rows.length : x.rows;
  const out = new Float32Array(m * dy);
  const wt = f32(Float32Array.from(w), [dx, dy]);
  const mt = f32(Float32Array.from(mean), [dx]);
  const bx = new Float32Array(rows ? BLOCK_ROWS * dx : 0);
  for (let s0 = 0; s0 < m; s0 += BLOCK_ROWS) {
    const n = Math.min(BLOCK_ROWS, m - s0);
    const r = await session.run({ x: f32(gather(x, rows, s0, n, bx), [n, dx]), mean: mt, w: wt });
    out.set(outputF32(r, 'out').subarray(0, n * dy), s0 * dy);
  }
  return { data: out, rows: m, cols: dy };
}

/**
 * For each query row (an index into x), its largest cosine with a gallery row other than
 * itself. The gallery is gathered once, block by block; every query block meets each
 * gallery block in one Gemm + TopK(2) (2: the query itself may be the best).
 */
export async function maxCosine(
  x: Matrix,
  queryRows: ArrayLike<number>,
  galleryRows: ArrayLike<number>,
  cache: SessionCache = defaultSessions,
): Promise<Float32Array> {
  const d = x.cols;
  const Q = queryRows.length;
  const out = new Float32Array(Q).fill(-Infinity);
  if (Q === 0 || galleryRows.length === 0) return out;
  const session = await cache.get(`topk:cosine:${d}`, () => buildTopKGraph(d, 'cosine'));
  const queryBlock = 1024;
  const queries: { tensor: ReturnType<typeof f32>; start: number; n: number }[] = [];
  for (let q0 = 0; q0 < Q; q0 += queryBlock) {
    const n = Math.min(queryBlock, Q - q0);
    queries.push({ tensor: f32(gather(x, queryRows, q0, n, new Float32Array(n * d)), [n, d]), start: q0, n });
  }
  const galleryBlock = BLOCK_ROWS * 4;
  const gb = new Float32Array(Math.min(galleryBlock, galleryRows.length) * d);
  for (let g0 = 0; g0 < galleryRows.length; g0 += galleryBlock) {
    const m = Math.min(galleryBlock, galleryRows.length - g0);
    const kk = Math.min(2, m);
    const gt = f32(gather(x, galleryRows, g0, m, gb), [m, d]);
    for (const q of queries) {
      const r = await session.run({ q: q.tensor, b: gt, k: i64([kk]) });
      const idx = outputI32(r, 'indices');
      const val = outputF32(r, 'scores');
      for (let i = 0; i < q.n; i++) {
        const self = queryRows[q.start + i] as number;
        for (let j = 0; j < kk; j++) {
          if ((galleryRows[g0 + idx[i * kk + j]!] as number) === self) continue;
          if (val[i * kk + j]! > out[q.start + i]!) out[q.start + i] = val[i * kk + j]!;
          break;
        }
      }
    }
  }
  return out;
}
