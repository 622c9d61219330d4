import { kmeans } from '../../main/core/compute/kmeans';
import { seedCentroids } from '../../main/core/compute/kmeans-seeding';
import { matrixSource } from '../../main/core/compute/row-source';
import { createRng } from '../../main/core/compute/prng';
const N = Number(process.argv[2] ?? 200000), d = 256, K = Number(process.argv[3] ?? 1000), it = Number(process.argv[4] ?? 2);
const rng = createRng(1);
const centers = new Float32Array(2000 * d); for (let i = 0; i < centers.length; i++) centers[i] = gauss();
function gauss() { let u = 0, v = 0; while (u === 0) u = rng.next(); v = rng.next(); return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v); }
const X = new Float32Array(N * d);
for (let i = 0; i < N; i++) { const c = rng.int(2000); for (let j = 0; j < d; j++) X[i * d + j] = centers[c * d + j]! + 0.5 * gauss(); }
const x = { data: X, rows: N, cols: d };
let t = performance.now();
await seedCentroids(matrixSource(x), K, { seed: 1, metric: 'l2' });
console.log('seed s', ((performance.now() - t) / 1000).toFixed(2));
t = performance.now();
let last = t;
const r = await kmeans(x, { k: K, iterations: it, seed: 1, metric: 'l2', onIteration: (i, inertia) => { const n = performance.now(); console.log('it', i, inertia.toExponential(5), ((n - last) / 1000).toFixed(2)); last = n; } });
console.log('total s', ((performance.now() - t) / 1000).toFixed(2), r.inertia);
