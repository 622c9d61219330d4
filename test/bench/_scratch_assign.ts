import * as ort from 'onnxruntime-node';
import os from 'node:os';
import { GraphBuilder, attr } from '../../main/core/compute/graph-builder';
const N = 200000, d = 256, K = 1000;
const X = new Float32Array(N * d); for (let i = 0; i < X.length; i++) X[i] = Math.random() - 0.5;
const C = new Float32Array(K * d); for (let i = 0; i < C.length; i++) C[i] = Math.random() - 0.5;
const cn = new Float32Array(K);
function build(kind: string) {
  const g = new GraphBuilder(kind);
  g.input('x', 'float32', ['n', d]); g.input('c', 'float32', ['k', d]); g.input('cn', 'float32', ['k']);
  let s: string;
  if (kind.startsWith('gemm')) s = g.op('Gemm', ['x', 'c', 'cn'], { alpha: attr.float(-2), beta: attr.float(1), transB: 1 });
  else { const ct = g.op('Transpose', ['c'], {perm:[1,0]}); s = g.op('Add', [g.op('Mul', [g.op('MatMul', ['x', ct]), g.constant('float32',[-2],[])]), 'cn']); }
  if (kind.endsWith('topk')) {
    const [v, i] = g.node('TopK', [s, g.constant('int64', [2])], 2, { axis: 1, largest: 0, sorted: 1 });
    g.output(v!, 'float32', ['n', 2], 'v'); g.output(g.op('Cast', [i!], { to: 6 }), 'int32', ['n', 2], 'i');
  } else if (kind.endsWith('min')) {
    const i = g.op('ArgMin', [s], { axis: 1, keepdims: 0 });
    const v = g.op('ReduceMin', [s], { axes: [1], keepdims: 0 });
    g.output(v, 'float32', ['n'], 'v'); g.output(g.op('Cast', [i], { to: 6 }), 'int32', ['n'], 'i');
  } else {
    const i = g.op('ArgMin', [s], { axis: 1, keepdims: 0 });
    const gc = g.op('Gather', ['c', i], { axis: 0 });
    const v = g.op('ReduceSumSquare', [g.op('Sub', ['x', gc])], { axes: [1], keepdims: 0 });
    g.output(v, 'float32', ['n'], 'v'); g.output(g.op('Cast', [i], { to: 6 }), 'int32', ['n'], 'i');
  }
  return g.build();
}
const spin = process.argv[2] ?? '1';
for (const kind of (process.argv[3] ?? 'gemm_exact,gemm_min,gemm_topk,matmul_exact').split(',')) {
  const s = await ort.InferenceSession.create(build(kind), { intraOpNumThreads: os.availableParallelism(), executionProviders: ['cpu'], extra: { session: { intra_op: { allow_spinning: spin } } } } as any);
  for (const chunk of (process.argv[4] ?? '2048,8192').split(',').map(Number)) {
    const t0 = performance.now();
    const ct = new ort.Tensor('float32', C, [K, d]); const cnt = new ort.Tensor('float32', cn, [K]);
    for (let r = 0; r < N; r += chunk) {
      const n = Math.min(chunk, N - r);
      await s.run({ x: new ort.Tensor('float32', X.subarray(r * d, (r + n) * d), [n, d]), c: ct, cn: cnt });
    }
    const el = (performance.now() - t0) / 1000;
    console.log(kind, 'spin', spin, 'chunk', chunk, 's/pass', el.toFixed(3), 'GFLOP/s', (2 * N * K * d / el / 1e9).toFixed(1));
  }
}
