import * as ort from 'onnxruntime-node';
import { GraphBuilder, attr } from '../../main/core/compute/graph-builder';
import { sessionOptions } from '../../main/core/compute/providers';
const m = 8000, d = 256, t = 8;
const x = new Float32Array(m * d).map(() => Math.random());
const y = new Float32Array(t * d).map(() => Math.random());
async function time(name: string, build: (g: GraphBuilder) => void, feeds: Record<string, ort.Tensor>) {
  const g = new GraphBuilder(name); build(g);
  const s = await ort.InferenceSession.create(g.build(), sessionOptions('cpu'));
  await s.run(feeds);
  const st = performance.now();
  for (let i = 0; i < 200; i++) await s.run(feeds);
  console.log(name, ((performance.now() - st) / 200).toFixed(3), 'ms');
}
const X = new ort.Tensor('float32', x, [m, d]), Y = new ort.Tensor('float32', y, [t, d]);
await time('reducemin-x', (g) => { g.input('x', 'float32', [m, d]); g.output(g.op('ReduceMax', ['x'], { axes: [1], keepdims: 0 }), 'float32', [m], 'o'); }, { x: X });
await time('gemm-xyT', (g) => { g.input('x', 'float32', ['n', d]); g.input('y', 'float32', ['t', d]); g.output(g.op('Gemm', ['x', 'y'], { transB: 1 }), 'float32', ['n', 't'], 'o'); }, { x: X, y: Y });
await time('matmul-xyT', (g) => { g.input('x', 'float32', ['n', d]); g.input('y', 'float32', ['t', d]); g.output(g.op('MatMul', ['x', g.op('Transpose', ['y'], { perm: [1, 0] })]), 'float32', ['n', 't'], 'o'); }, { x: X, y: Y });
await time('gemm-yxT', (g) => { g.input('x', 'float32', ['n', d]); g.input('y', 'float32', ['t', d]); g.output(g.op('Gemm', ['y', 'x'], { transB: 1 }), 'float32', ['t', 'n'], 'o'); }, { x: X, y: Y });
await time('noop-small', (g) => { g.input('y', 'float32', ['t', d]); g.output(g.op('Relu', ['y']), 'float32', ['t', d], 'o'); }, { y: Y });
