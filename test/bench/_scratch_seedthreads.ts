import os from 'node:os';
import { seedCentroids } from '../../main/core/compute/kmeans-seeding';
import { matrixSource } from '../../main/core/compute/row-source';
import { blobRowGenerator } from './_data';
const N = Number(process.argv[2] ?? 20000), d = 256, K = Number(process.argv[3] ?? 100);
const x = new Float32Array(N * d);
blobRowGenerator(d, 2 * K, 7)(x, N);
const src = matrixSource({ data: x, rows: N, cols: d });
for (let rep = 0; rep < 2; rep++) for (const threads of [2, 1]) {
  const t = performance.now();
  await seedCentroids(src, K, { seed: 1, metric: 'l2', threads });
  console.log(`threads=${threads} seed s ${((performance.now() - t) / 1000).toFixed(2)} load ${os.loadavg()[0]!.toFixed(1)}`);
}
