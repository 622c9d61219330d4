import { kmeans } from '../../main/core/compute/kmeans';
import { blobRowGenerator } from './_data';
const N = Number(process.argv[2] ?? 50000), d = Number(process.argv[3] ?? 64), K = Number(process.argv[4] ?? 250);
const x = new Float32Array(N * d);
blobRowGenerator(d, 2 * K, 7)(x, N);
for (const m of process.argv[5]!.split(',').map(Number)) {
  for (const seed of [1]) {
    const t = performance.now();
    let i0 = 0;
    const r = await kmeans({ data: x, rows: N, cols: d }, { k: K, iterations: 20, seed, metric: 'l2', seedSample: m, onIteration: (it, v) => { if (it === 0) i0 = v; } });
    console.log(`m=${m} seed=${seed} inertia0=${i0.toExponential(4)} final=${r.inertia.toExponential(5)} s=${((performance.now() - t) / 1000).toFixed(1)}`);
  }
}
