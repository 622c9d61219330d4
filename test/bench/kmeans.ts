// k-means speed and quality against faiss and scikit-learn on the same matrix.
//   npm run bench -- kmeans [--quick] [--n N] [--k K] [--iters I] [--skip-sklearn]
// Default: 200 000 × 256 float32, K = 1000, 20 iterations, one thread per core for all.
// Ours: k-means++ seeding on a sample + Lloyd (ONNX assignment graph, Hamerly bounds;
// --no-prune for plain Lloyd), timed end to end (seeding, 20 updates and the final
// assignment that yields every row's label).
// faiss: Kmeans.train (its random init, 20 iterations), without and with the label search,
// and once more from our seeds (init_centroids) to compare Lloyd against Lloyd.
// scikit-learn: KMeans(lloyd, k-means++, n_init = 1, tol = 0).fit.
// Inertia of every method's final centroids is evaluated the same way (exact search).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kmeans } from '../../main/core/compute/kmeans';
import { seedCentroids } from '../../main/core/compute/kmeans-seeding';
import { matrixSource } from '../../main/core/compute/row-source';
import { getProviderStatus } from '../../main/core/compute/providers';
import { disposeSessions } from '../../main/core/compute/sessions';
import { blobRowGenerator } from './_data';
import { writeNpyF32 } from './_npy';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const quick = process.argv.includes('--quick');
const N = arg('n', quick ? 20000 : 200000);
const d = arg('d', 256);
const K = arg('k', quick ? 100 : 1000);
const iters = arg('iters', quick ? 10 : 20);
const seed = 1;
const skipSklearn = process.argv.includes('--skip-sklearn');

const load = () => os.loadavg()[0]!.toFixed(2);
const loadStart = load();
console.log(
  `kmeans bench: ${N} × ${d}, K = ${K}, ${iters} iterations, ${os.availableParallelism()} cores, load ${load()}`,
);
const x = new Float32Array(N * d);
blobRowGenerator(d, 2 * K, 7)(x, N);

const status = await getProviderStatus();
console.log(`provider: ${status.active}${status.fallbackReason ? ` (${status.fallbackReason})` : ''}`);

const passTimes: number[] = [];
const gemmRows: number[] = [];
const t0 = performance.now();
let firstPassEnd = 0;
// seeding done here (the same call kmeans makes) so faiss can also start from these seeds
const seeds = await seedCentroids(matrixSource({ data: x, rows: N, cols: d }), K, { seed, metric: 'l2' });
const seedOnly = (performance.now() - t0) / 1000;
let last = performance.now();
const r = await kmeans(
  { data: x, rows: N, cols: d },
  {
    k: K,
    iterations: iters,
    seed,
    init: seeds,
    metric: 'l2',
    prune: !process.argv.includes('--no-prune'),
    onPassStats: (_, n) => gemmRows.push(n),
    onIteration: (it, inertia) => {
      const now = performance.now();
      if (it === 0) firstPassEnd = (now - t0) / 1000;
      passTimes.push((now - last) / 1000);
      last = now;
      if (it % 5 === 0 || it === iters) console.log(`  ours it ${it}: inertia ${inertia.toExponential(6)}`);
    },
  },
);
const oursTotal = (performance.now() - t0) / 1000;
await disposeSessions();
const lloydPasses = passTimes.slice(1);
const passMean = lloydPasses.reduce((a, b) => a + b, 0) / Math.max(1, lloydPasses.length);
console.log(
  `ours: total ${oursTotal.toFixed(2)} s (seeding ${seedOnly.toFixed(2)} s, first pass ${(firstPassEnd - seedOnly).toFixed(2)} s, later passes ${passMean.toFixed(3)} s each), inertia ${r.inertia.toExponential(6)}`,
);
console.log(`  pass seconds: ${passTimes.map((t) => t.toFixed(2)).join(' ')}`);
console.log(
  `  rows through the Gemm per pass (%): ${gemmRows.map((n) => Math.round((100 * n) / N)).join(' ')}`,
);
const gemmShare = gemmRows.reduce((a, b) => a + b, 0) / (N * Math.max(1, gemmRows.length));

const dir = mkdtempSync(path.join(os.tmpdir(), 'kmeans-bench-'));
try {
  const xPath = path.join(dir, 'x.npy');
  const cPath = path.join(dir, 'ours.npy');
  const sPath = path.join(dir, 'seeds.npy');
  writeNpyF32(xPath, x, N, d);
  writeNpyF32(cPath, r.centroids.data, K, d);
  writeNpyF32(sPath, seeds.data, K, d);
  const threads = String(os.availableParallelism());
  const py = spawnSync(
    '/usr/bin/python3',
    [
      path.join('test', 'bench', '_python', 'kmeans_baselines.py'),
      xPath,
      String(K),
      String(iters),
      String(seed),
      cPath,
      sPath,
      ...(skipSklearn ? ['--skip-sklearn'] : []),
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: threads, OPENBLAS_NUM_THREADS: threads },
      maxBuffer: 1 << 24,
    },
  );
  if (py.status !== 0) throw new Error(`python baselines failed: ${py.stderr}`);
  const b = JSON.parse(py.stdout.trim().split('\n').pop()!) as Record<string, number>;
  const oursPerIter = oursTotal / iters;
  const faissPerIter = b.faiss_s_per_iter!;
  const faissWithLabels = (b.faiss_train_s! + b.faiss_labels_s!) / iters;
  const fmt = (v: number | undefined, p = 3) => (v === undefined ? 'na' : v.toFixed(p));
  console.log(
    `faiss: train ${fmt(b.faiss_train_s, 2)} s, labels ${fmt(b.faiss_labels_s, 2)} s, inertia ${b.faiss_inertia!.toExponential(6)}`,
  );
  console.log(
    `faiss from our seeds: train ${fmt(b.faiss_same_seeds_train_s, 2)} s, inertia ${b.faiss_same_seeds_inertia!.toExponential(6)}`,
  );
  if (!skipSklearn)
    console.log(
      `sklearn: fit ${fmt(b.sklearn_fit_s, 2)} s (${b.sklearn_iters} iterations), inertia ${b.sklearn_inertia!.toExponential(6)}`,
    );
  const oursInertia = b.ours_inertia_eval ?? r.inertia;
  const fields: Record<string, string> = {
    n: String(N),
    d: String(d),
    k: String(K),
    iters: String(iters),
    threads,
    provider: status.active,
    ours_s_per_iter: fmt(oursPerIter),
    ours_pass_s: fmt(passMean),
    ours_seed_s: fmt(seedOnly),
    ours_gemm_row_share: fmt(gemmShare),
    faiss_s_per_iter: fmt(faissPerIter),
    faiss_with_labels_s_per_iter: fmt(faissWithLabels),
    sklearn_s_per_iter: skipSklearn ? 'na' : fmt(b.sklearn_s_per_iter),
    ratio_ours_faiss: fmt(oursPerIter / faissPerIter),
    ratio_ours_faiss_with_labels: fmt(oursPerIter / faissWithLabels),
    ratio_ours_sklearn: skipSklearn ? 'na' : fmt(oursPerIter / b.sklearn_s_per_iter!),
    inertia_ours: oursInertia.toExponential(6),
    inertia_faiss: b.faiss_inertia!.toExponential(6),
    inertia_sklearn: skipSklearn ? 'na' : b.sklearn_inertia!.toExponential(6),
    inertia_rel_faiss: fmt(oursInertia / b.faiss_inertia! - 1, 4),
    faiss_same_seeds_s_per_iter: fmt(b.faiss_same_seeds_train_s! / iters),
    inertia_faiss_same_seeds: b.faiss_same_seeds_inertia!.toExponential(6),
    inertia_rel_faiss_same_seeds: fmt(oursInertia / b.faiss_same_seeds_inertia! - 1, 4),
    load_start: loadStart,
    load_end: load(),
  };
  console.log(
    `BENCH kmeans ${Object.entries(fields)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
