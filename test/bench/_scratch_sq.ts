import { BlockDistances } from '../../main/core/compute/graphs/sqdist';
const m = 8000, d = 256, t = 8;
const x = new Float32Array(m * d).map(() => Math.random());
const y = new Float32Array(t * d).map(() => Math.random());
const bd = new BlockDistances(x, m, d);
await bd.to(y, t);
let s = performance.now();
for (let i = 0; i < 100; i++) await bd.to(y, t);
console.log('ms/step', (performance.now() - s) / 100);
