// `npm run bench -- scale-webdataset [--pairs N] [--sample 0.1] [--sizes N1,N2] [--keep] [--dir D]`
// Issue #7 item 3: a synthetic img2dataset webdataset (3M pairs by default, 32×32 JPEGs
// reused from a pool of distinct scenes, Zipf-ish captions) generated in a temp folder, then
//   index     the shards (startIndexJob)
//   embed     builtin, on a seeded sample of the pairs (--sample, default 10 %)
//   import    the other pairs' vectors, as a cluster would have computed them with the same
//             model, INTO the builtin feature set (import-embeddings --into builtin)
//   tldr      TL;DR 25 %, features 'embedding', K = 1000 (no evaluation)
//   wfpp      WFPP 50 %
//   random    random 25 %
//   export-*  each of the three runs as webdataset shards
// each in its own child process (test/bench/_scale/stage.ts), with wall time, CPU time and
// peak RSS. Generating the data and the "cluster" embeddings is timed apart, not counted.
// --sizes runs the whole pipeline at each size and compares the peak RSS of ingest (index)
// and export: memory is flat in the number of pairs when the ratio stays near 1 while the
// pairs grow ×10. The last line is `BENCH scale-webdataset …`.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnStage, type StageOut } from './_stage/spawn';
import { TLDR_25_EMBEDDING } from './_stage/specs';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : dflt;
};
const sizes = opt('sizes', opt('pairs', '3000000'))
  .split(',')
  .map((s) => Number(s.trim()));
if (sizes.some((n) => !Number.isInteger(n) || n < 100)) {
  console.error(`--pairs / --sizes: whole numbers ≥ 100, got ${sizes.join(',')}`);
  process.exit(2);
}
const sample = Number(opt('sample', '0.1'));
if (!(sample > 0 && sample <= 1)) {
  console.error(`--sample must be in (0, 1], got ${sample}`);
  process.exit(2);
}
const keep = argv.includes('--keep');
const root = opt('dir', '') || mkdtempSync(path.join(os.tmpdir(), 'tldr-scale-wds-'));
mkdirSync(root, { recursive: true });
const here = path.dirname(new URL(import.meta.url).pathname);

function stage(label: string, name: string, args: Record<string, unknown>): StageOut {
  const out = spawnStage(path.join(here, '_scale', 'stage.ts'), name, args);
  const peaks = Object.entries(out.peaks)
    .map(([k, v]) => `${k} ${v.rssMB} MB (heap ${v.heapMB})`)
    .join('; ');
  console.log(
    `${label.padEnd(14)} ${out.seconds.toFixed(1).padStart(8)} s  CPU ${out.cpuSeconds.toFixed(1).padStart(8)} s  peak RSS ${String(out.maxRssMB).padStart(6)} MB  heap after GC ${out.heapAfterGcMB} MB`,
  );
  if (peaks) console.log(`    by job stage: ${peaks}`);
  return out;
}

const TIMED = [
  'index',
  'embed',
  'import',
  'tldr',
  'wfpp',
  'random',
  'export_tldr',
  'export_wfpp',
  'export_random',
];

const SPECS = {
  tldr: TLDR_25_EMBEDDING,
  wfpp: { method: 'wfpp', budget: { ratio: 0.5 } },
  random: { method: 'random', budget: { ratio: 0.25 }, seed: 1 },
} as const;

function pipeline(pairs: number): Record<string, StageOut> {
  const dir = path.join(root, `n${pairs}`);
  const data = path.join(dir, 'data');
  const workspace = path.join(dir, 'ws');
  mkdirSync(data, { recursive: true });
  console.log(`\n== ${pairs} pairs, embed sample ${sample}, in ${dir}`);
  const out: Record<string, StageOut> = {};
  const gen = stage('generate', 'generate', { dir: data, pairs });
  const g = gen.result as { shards: string; shardCount: number; pool: number; bytes: number };
  console.log(
    `    ${g.shardCount} shards, ${(g.bytes / 2 ** 30).toFixed(2)} GiB, pool of ${g.pool} images (not timed)`,
  );
  out.index = stage('index', 'index', { workspace, shards: g.shards });
  const datasetId = Number(out.index.result.datasetId);
  console.log(`    indexed ${String(out.index.result.pairs)} pairs`);
  out.embed = stage('embed', 'embed', { workspace, datasetId, sample });
  const e = out.embed.result as { encoded: number; sample?: { pairs: number }; codebookSize: number };
  console.log(
    `    encoded ${e.encoded} images (sample of ${e.sample?.pairs ?? pairs} pairs), codebook K = ${e.codebookSize}`,
  );
  const cl = stage('cluster', 'cluster', { dir: data, workspace, datasetId, sample });
  console.log(`    ${String(cl.result.rows)} "cluster" embedding rows (not timed)`);
  out.import = stage('import', 'import', {
    workspace,
    datasetId,
    image: cl.result.image,
    text: cl.result.text,
    keys: cl.result.keys,
  });
  const into = out.import.result.into as { filled: number; alreadyHad: number };
  console.log(
    `    filled ${into.filled}, kept ${into.alreadyHad}, pairs without a vector ${String((out.import.result.pairsWithoutVector as { count: number }).count)}`,
  );
  for (const m of ['tldr', 'wfpp', 'random'] as const) {
    const c = (out[m] = stage(m, 'compress', { workspace, datasetId, spec: SPECS[m], label: `${m} scale` }));
    const r = c.result as { runId: number; kept: number; eligible: number };
    console.log(`    run ${r.runId}: kept ${r.kept} of ${r.eligible} eligible`);
  }
  for (const m of ['tldr', 'wfpp', 'random'] as const) {
    const runId = Number(out[m]!.result.runId);
    const ex = (out[`export_${m}`] = stage(`export ${m}`, 'export', {
      workspace,
      runId,
      out: path.join(dir, `export-${m}`),
    }));
    const x = ex.result as { written: number; skipped: number };
    console.log(`    written ${x.written}, skipped ${x.skipped}`);
  }
  // The next size needs the disk more than this one's files.
  if (!keep) rmSync(dir, { recursive: true, force: true });
  return out;
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'na');
let ok = true;
const runs: { pairs: number; out: Record<string, StageOut> }[] = [];
try {
  for (const n of sizes) runs.push({ pairs: n, out: pipeline(n) });
} catch (e) {
  ok = false;
  console.error(e instanceof Error ? e.message : String(e));
} finally {
  if (!keep) rmSync(root, { recursive: true, force: true });
  else console.log(`kept ${root}`);
}

const exportRss = (o: Record<string, StageOut>) =>
  Math.max(o.export_tldr?.maxRssMB ?? NaN, o.export_wfpp?.maxRssMB ?? NaN, o.export_random?.maxRssMB ?? NaN);
let ingestRatio = NaN;
let exportRatio = NaN;
if (runs.length >= 2) {
  const a = runs[0]!;
  const b = runs[runs.length - 1]!;
  ingestRatio = b.out.index!.maxRssMB / a.out.index!.maxRssMB;
  exportRatio = exportRss(b.out) / exportRss(a.out);
  console.log(`\nmemory in the number of pairs (×${(b.pairs / a.pairs).toFixed(1)}):`);
  for (const r of runs) {
    console.log(
      `  ${String(r.pairs).padStart(9)} pairs: ingest ${r.out.index!.maxRssMB} MB, export ${exportRss(r.out)} MB` +
        ` (tldr ${r.out.export_tldr!.maxRssMB}, wfpp ${r.out.export_wfpp!.maxRssMB}, random ${r.out.export_random!.maxRssMB});` +
        ` heap after GC: ingest ${r.out.index!.heapAfterGcMB} MB, export ${r.out.export_tldr!.heapAfterGcMB}/${r.out.export_wfpp!.heapAfterGcMB}/${r.out.export_random!.heapAfterGcMB} MB`,
    );
  }
  console.log(`  ratio: ingest ${fmt(ingestRatio)}, export ${fmt(exportRatio)} (flat: near 1)`);
  // Flat: well under the ×(pairs ratio) a per-pair structure would give.
  if (!(ingestRatio < 1.5 && exportRatio < 1.5)) ok = false;
}
const last = runs.at(-1);
const figures = last
  ? TIMED.filter((k) => last.out[k])
      .map(
        (k) =>
          `${k}_s=${last.out[k]!.seconds.toFixed(1)} ${k}_cpu_s=${last.out[k]!.cpuSeconds.toFixed(1)} ${k}_rss_mb=${last.out[k]!.maxRssMB}`,
      )
      .join(' ')
  : '';
if (!last || TIMED.some((k) => !last.out[k])) ok = false;
const total = last ? TIMED.reduce((s, k) => s + (last.out[k]?.seconds ?? 0), 0) : 0;
console.log(
  `BENCH scale-webdataset pairs=${last?.pairs ?? sizes.at(-1)} sizes=${sizes.join(',')} sample=${sample} total_s=${total.toFixed(1)} ${figures} ` +
    `ingest_rss_ratio=${fmt(ingestRatio)} export_rss_ratio=${fmt(exportRatio)} ok=${ok ? 1 : 0}`,
);
process.exit(ok ? 0 : 1);
