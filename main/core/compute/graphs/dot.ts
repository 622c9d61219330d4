// Row-wise dot products of two equally shaped matrices (alignment scores: image row i
// against text row i), optionally as cosines. ReduceSum(Mul(a, b)) per chunk.
import { GraphBuilder } from '../graph-builder';
import { rowsPerChunk } from '../chunking';
import { sessions as defaultSessions, type SessionCache } from '../sessions';
import { f32, outputF32, rowsOf, throwIfAborted } from '../tensors';
import type { Matrix } from '../types';

export function buildRowDotGraph(d: number, cosine: boolean): Uint8Array {
  const g = new GraphBuilder(`rowdot_${cosine ? 'cos' : 'dot'}_${d}`);
  const a = g.input('a', 'float32', ['n', d]);
  const b = g.input('b', 'float32', ['n', d]);
  const axes = g.constant('int64', [1]);
  let dot = g.op('ReduceSum', [g.op('Mul', [a, b]), axes], { keepdims: 0 });
  if (cosine) {
    const na = g.op('ReduceSumSquare', [a], { axes: [1], keepdims: 0 });
    const nb = g.op('ReduceSumSquare', [b], { axes: [1], keepdims: 0 });
    const denom = g.op('Max', [g.op('Sqrt', [g.op('Mul', [na, nb])]), g.constant('float32', [1e-12], [])]);
    dot = g.op('Div', [dot, denom]);
  }
  g.output(dot, 'float32', ['n'], 'dot');
  return g.build();
}

/** dot(a_i, b_i) (or their cosine) for every row i. */
export async function rowDots(
  a: Matrix,
  b: Matrix,
  opts: { cosine?: boolean; chunkRows?: number; signal?: AbortSignal; cache?: SessionCache } = {},
): Promise<Float32Array> {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new Error(`row dots need equal shapes, got ${a.rows}×${a.cols} and ${b.rows}×${b.cols}`);
  }
  const d = a.cols;
  const cosine = opts.cosine ?? false;
  const session = await (opts.cache ?? defaultSessions).get(`rowdot:${cosine}:${d}`, () =>
    buildRowDotGraph(d, cosine),
  );
  const out = new Float32Array(a.rows);
  const step = opts.chunkRows ?? rowsPerChunk(12 * d, { preferred: 16384, total: a.rows });
  for (let s = 0; s < a.rows; s += step) {
    throwIfAborted(opts.signal);
    const n = Math.min(step, a.rows - s);
    const r = await session.run({ a: f32(rowsOf(a, s, n), [n, d]), b: f32(rowsOf(b, s, n), [n, d]) });
    out.set(outputF32(r, 'dot'), s);
  }
  return out;
}
