import { kmeans } from '../../main/core/compute/kmeans';
import { blobRowGenerator } from './_data';
const N = Number(process.argv[2] ?? 50000), d = 256, K = Number(process.argv[3] ?? 250);
const x = new Float32Array(N * d);
blobRowGenerator(d, 2 * K, 7)(x, N);
for (const prune of [true, false]) {
  const rows: number[] = [];
  const t = performance.now();
  let ts = t; const times: string[] = [];
  const r = await kmeans({ data: x, rows: N, cols: d }, { k: K, iterations: 20, seed: 1, metric: 'l2', prune, onPassStats: (_, n) => rows.push(n), onIteration: () => { const n = performance.now(); times.push(((n - ts) / 1000).toFixed(2)); ts = n; } });
  console.log(`prune=${prune} total ${((performance.now() - t) / 1000).toFixed(1)} s inertia ${r.inertia.toExponential(6)}`);
  console.log('  gemm rows %', rows.map((v) => Math.round((100 * v) / N)).join(' '));
  console.log('  pass s', times.join(' '));
}
