// One measured ingest in its own process (so peak RSS is this run's alone):
// `node --import tsx test/bench/_ingest-run.ts <shards> <workspace>` prints one JSON line.
import { openCore, closeCore } from '../../main/core/context';
import { startIndexJob } from '../../main/core/ingest/index-dataset';

const [root, workspace] = process.argv.slice(2);
if (!root || !workspace) throw new Error('usage: _ingest-run.ts <shards> <workspace>');
const ctx = openCore(workspace);
// Peak JS heap, sampled: V8's heap is what grows with a leak; RSS also holds freed native
// memory the allocator keeps (SQLite pages, read buffers).
let peakHeap = 0;
const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20);
const t0 = performance.now();
const { job } = await startIndexJob(ctx, { path: root });
const done = await ctx.jobs.wait(job.id);
const seconds = (performance.now() - t0) / 1000;
clearInterval(sampler);
if (done.state !== 'done') throw new Error(`ingest ${done.state}: ${done.error}`);
const pairs = (done.result as { pairs: number }).pairs;
await closeCore(ctx);
console.log(
  JSON.stringify({
    pairs,
    seconds,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    peakHeapMB: peakHeap / 2 ** 20,
  }),
);
