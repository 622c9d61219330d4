import * as ort from 'onnxruntime-node';
import os from 'node:os';
import { buildAssignGraph } from '../../main/core/compute/graphs/assign';
const N = 50000, d = 256, K = 1000;
const X = new Float32Array(N * d).map(() => Math.random() - 0.5);
const C = new Float32Array(K * d).map(() => Math.random() - 0.5);
const cn = new Float32Array(K);
const variants: Record<string, Record<string, string>> = {
  base: {},
  nospin: { 'session.intra_op.allow_spinning': '0' },
  dyn4: { 'session.dynamic_block_base': '4' },
  nospin_dyn4: { 'session.intra_op.allow_spinning': '0', 'session.dynamic_block_base': '4' },
};
const sessions: Record<string, ort.InferenceSession> = {};
for (const [name, cfg] of Object.entries(variants)) {
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(cfg)) {
    const parts = k.split('.'); let o = extra as any;
    for (let i = 0; i < parts.length - 1; i++) o = o[parts[i]!] ??= {};
    o[parts[parts.length - 1]!] = v;
  }
  sessions[name] = await ort.InferenceSession.create(buildAssignGraph(d, 'l2'), { intraOpNumThreads: os.availableParallelism(), extra } as any);
}
const res: Record<string, number[]> = {};
for (let rep = 0; rep < 3; rep++) for (const [name, s] of Object.entries(sessions)) {
  const t = performance.now();
  for (let r = 0; r < N; r += 4096) { const n = Math.min(4096, N - r); await s.run({ x: new ort.Tensor('float32', X.subarray(r * d, (r + n) * d), [n, d]), c: new ort.Tensor('float32', C, [K, d]), cn: new ort.Tensor('float32', cn, [K]) }); }
  (res[name] ??= []).push((performance.now() - t) / 1000);
}
for (const [k, v] of Object.entries(res)) console.log(k, v.map((x) => x.toFixed(3)).join(' '), 'GFLOP/s best', (2 * N * K * d / Math.min(...v) / 1e9).toFixed(1));
