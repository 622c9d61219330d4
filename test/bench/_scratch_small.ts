import { kmeans } from '../../main/core/compute/kmeans';
import { blobs } from '../unit/compute/_helpers';
const { x } = blobs(3000, 16, 8, 1);
for (let r = 0; r < 3; r++) {
  const t = performance.now();
  let n = 0;
  await kmeans(x, { k: 8, iterations: 20, seed: 3, metric: 'l2', onIteration: () => n++ });
  console.log(((performance.now() - t)).toFixed(1), 'ms');
}
