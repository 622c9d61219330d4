// Peak memory of mini-batch k-means on data that is only ever read in chunks.
//   npm run bench -- kmeans-memory [--quick] [--n N] [--k K] [--epochs E]
// Rows (default 1 000 000 × 256 float32, 1 GiB) are generated chunk by chunk into a vector
// file, then clustered with kmeansStream(miniBatch) reading through positioned reads.
// The peak resident set (the kernel's VmHWM high-water mark) must stay under 3 GiB.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kmeansStream } from '../../main/core/compute/kmeans';
import { disposeSessions } from '../../main/core/compute/sessions';
import { VectorFile } from '../../main/core/store/vectors';
import { blobRowGenerator } from './_data';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const quick = process.argv.includes('--quick');
const N = arg('n', quick ? 100_000 : 1_000_000);
const d = arg('d', 256);
const K = arg('k', quick ? 100 : 1000);
const epochs = arg('epochs', 2);
const miniBatch = arg('batch', 4096);
const LIMIT = 3 * 1024 ** 3;

/** Peak RSS so far: the kernel's high-water mark where available, else sampled. */
let sampledPeak = 0;
function peakRss(): number {
  sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss());
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Math.max(Number(m[1]) * 1024, sampledPeak);
  } catch {
    // not Linux
  }
  return sampledPeak;
}
const sampler = setInterval(peakRss, 50);
const mib = (b: number) => (b / 1024 ** 2).toFixed(0);

const dir = mkdtempSync(path.join(os.tmpdir(), 'kmeans-memory-'));
try {
  const file = path.join(dir, 'x.vec');
  const t0 = performance.now();
  const w = VectorFile.create(file, { dims: d, rows: N });
  const gen = blobRowGenerator(d, 2 * K, 3);
  const chunk = 16384;
  const buf = new Float32Array(chunk * d);
  for (let s = 0; s < N; s += chunk) {
    const n = Math.min(chunk, N - s);
    gen(buf, n);
    w.writeRows(s, buf.subarray(0, n * d));
  }
  w.close();
  const genSeconds = (performance.now() - t0) / 1000;
  const afterGen = peakRss();
  console.log(
    `generated ${N} × ${d} float32 (${mib(N * d * 4)} MiB file) in ${genSeconds.toFixed(1)} s; peak RSS so far ${mib(afterGen)} MiB`,
  );

  const src = VectorFile.open(file);
  const t1 = performance.now();
  const r = await kmeansStream(src, {
    k: K,
    iterations: epochs,
    seed: 1,
    metric: 'l2',
    miniBatch,
    onIteration: (it, inertia) =>
      console.log(
        `  epoch ${it}: inertia ${inertia.toExponential(5)}, RSS ${mib(process.memoryUsage.rss())} MiB`,
      ),
  });
  const kmSeconds = (performance.now() - t1) / 1000;
  src.close();
  await disposeSessions();
  clearInterval(sampler);
  const peak = peakRss();
  console.log(
    `mini-batch k-means: K = ${K}, ${r.iterations} epochs, batch ${miniBatch}, ${kmSeconds.toFixed(1)} s, inertia ${r.inertia.toExponential(5)}`,
  );
  console.log(`peak RSS ${mib(peak)} MiB (limit ${mib(LIMIT)} MiB); data ${mib(N * d * 4)} MiB`);
  const fields = {
    rows: N,
    dims: d,
    k: K,
    epochs: r.iterations,
    batch: miniBatch,
    seconds: kmSeconds.toFixed(1),
    peak_rss_mib: mib(peak),
    data_mib: mib(N * d * 4),
    limit_mib: mib(LIMIT),
    ok: peak < LIMIT,
  };
  console.log(
    `BENCH kmeans-memory ${Object.entries(fields)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
  if (peak >= LIMIT) process.exitCode = 1;
} finally {
  clearInterval(sampler);
  rmSync(dir, { recursive: true, force: true });
}
