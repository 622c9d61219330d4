// Where the compress stage's memory goes: the steps of runCompress (TL;DR, 'embedding'
// features, K = 1000, with evaluation) replayed one by one on an imported workspace, with
// RSS / ArrayBuffer / heap after each step (after a GC: what the step keeps) and the rise
// of the process's peak RSS during it (what it needed at most).
//   node --import tsx --expose-gc test/bench/_e2e/compress-memory.ts <workspace> <datasetId> <model> [--load-only | --no-evaluate]
import { evaluateRun, referenceClusters } from '../../../main/core/compress/evaluate-run';
import { loadFeatures, loadPairs } from '../../../main/core/compress/load-data';
import { runStep } from '../../../main/core/compress/run-method';
import { closeCore, openCore } from '../../../main/core/context';
import { heldOutSplit } from '../../../main/core/evaluate/split';
import { embeddingAlignment } from '../../../main/core/methods/alignment';
import { TLDR_25_EMBEDDING } from '../_stage/specs';

const [workspace, id, model] = process.argv.slice(2);
const ctx = openCore(workspace!);
const datasetId = Number(id);
const MB = 2 ** 20;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const peakMB = () => Math.round(process.resourceUsage().maxRSS / 1024);
let lastPeak = peakMB();
let t = performance.now();

function step(name: string): void {
  const before = peakMB();
  gc();
  const m = process.memoryUsage();
  const s = (performance.now() - t) / 1000;
  console.log(
    `${name.padEnd(34)} ${s.toFixed(1).padStart(6)} s  kept: rss ${Math.round(m.rss / MB)} MB, buffers ${Math.round(m.arrayBuffers / MB)} MB, heap ${Math.round(m.heapUsed / MB)} MB;  peak ${before} MB (+${before - lastPeak})`,
  );
  lastPeak = before;
  t = performance.now();
}

step('start');
const data = loadPairs(ctx, datasetId);
step('loadPairs');
data.features = loadFeatures(ctx, data, datasetId, model!);
step('loadFeatures');
const f = data.features;
const split = heldOutSplit(data.n, { fraction: 0.05, seed: 1, groups: data.groups, usable: f.ok });
step('heldOutSplit');
if (process.argv.includes('--load-only')) {
  await closeCore(ctx);
  process.exit(0);
}
let alignment: Float32Array | undefined;
const getAlignment = async () => {
  if (!alignment && f.text) {
    alignment = embeddingAlignment(f.image, f.text);
    for (let i = 0; i < data.n; i++) if (!f.ok[i]) alignment[i] = NaN;
  }
  return alignment;
};
const r = await runStep({ data, alignment: getAlignment }, TLDR_25_EMBEDDING, split.pool);
step('runStep tldr (subset, k-means, select)');
if (!process.argv.includes('--no-evaluate')) {
  const reference = await referenceClusters(f.image, f.ok);
  step('referenceClusters');
  const evaluation = await evaluateRun({
    data,
    kept: r.selection.kept,
    pool: split.pool,
    heldOut: split.heldOut,
    alignment,
    reference,
  });
  step('evaluateRun');
  console.log(`${evaluation.metrics.length} metrics`);
}
console.log(`kept ${r.selection.keptCount}`);
await closeCore(ctx);
