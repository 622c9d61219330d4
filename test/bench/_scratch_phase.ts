import { kmeans } from '../../main/core/compute/kmeans';
import { seedCentroids } from '../../main/core/compute/kmeans-seeding';
import { matrixSource } from '../../main/core/compute/row-source';
import { blobRowGenerator } from './_data';
const N = Number(process.argv[2] ?? 20000), d = 256, K = Number(process.argv[3] ?? 100);
const x = new Float32Array(N * d);
blobRowGenerator(d, 2 * K, 7)(x, N);
const m = { data: x, rows: N, cols: d };
await seedCentroids(matrixSource(m), K, { seed: 9, metric: 'l2' });
for (let r = 0; r < 2; r++) {
  let t = performance.now();
  await seedCentroids(matrixSource(m), K, { seed: 1, metric: 'l2' });
  const seed = performance.now() - t;
  t = performance.now();
  await kmeans(m, { k: K, iterations: 10, seed: 1, metric: 'l2' });
  console.log('seed ms', seed.toFixed(0), 'kmeans total ms', (performance.now() - t).toFixed(0), 'load', (await import('node:os')).loadavg()[0]);
}
