// `npm run bench -- e2e-cc3m [--pairs N] [--dims D] [--dtype f16|f32] [--no-text] [--no-evaluate] [--keep] [--dir D]`
// End to end at CC3M scale (3M pairs by default): a CC3M-style TSV and synthetic 256-d
// CLIP-like embeddings (.npy + key list) are written to a temp folder, then
//   index     the TSV (startIndexJob)
//   import    the embeddings (startImportJob: key match + vector files)
//   compress  TL;DR at 25 %, K = 1000, 20 iterations, features 'embedding', with evaluation
// each in its own child process, so each stage's peak RSS is its own. The data generation
// is timed apart and not counted. Target on a 2-core machine: < 15 min and < 8 GiB.
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnStage, type StageOut } from './_stage/spawn';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : dflt;
};
const pairs = Number(opt('pairs', '3000000'));
const dims = Number(opt('dims', '256'));
const dtype = opt('dtype', 'f16') === 'f32' ? '<f4' : '<f2';
const withText = !argv.includes('--no-text');
const keep = argv.includes('--keep');
// --no-evaluate: TL;DR without the side-by-side evaluation (proxy training for 7 arms,
// coverage, near-duplicates, reference clusters: about a third of the compress stage).
const evaluate = !argv.includes('--no-evaluate');
const root = opt('dir', '') || mkdtempSync(path.join(os.tmpdir(), 'tldr-e2e-cc3m-'));
mkdirSync(root, { recursive: true });
const here = path.dirname(new URL(import.meta.url).pathname);

function stage(name: string, args: Record<string, unknown>): StageOut {
  const out = spawnStage(path.join(here, '_e2e', 'stage.ts'), name, args);
  const peaks = Object.entries(out.peaks)
    .map(([k, v]) => `${k} ${v.rssMB} MB (buffers ${v.arrayBuffersMB}, heap ${v.heapMB})`)
    .join('; ');
  const starts = Object.entries(out.stageStarts)
    .map(([k, v]) => `${k} @${v}s`)
    .join(', ');
  console.log(
    `${name}: ${out.seconds.toFixed(1)} s (CPU ${out.cpuSeconds.toFixed(1)} s), peak RSS ${out.maxRssMB} MB`,
  );
  if (peaks) console.log(`  peak RSS by job stage: ${peaks}`);
  if (starts) console.log(`  job stages began at: ${starts}`);
  return out;
}

const gb = (f: string) => (statSync(f).size / 2 ** 30).toFixed(2);
const workspace = path.join(root, 'ws');
const data = path.join(root, 'data');
mkdirSync(data, { recursive: true });
try {
  console.log(
    `e2e-cc3m: ${pairs} pairs, ${dims}-d ${dtype === '<f2' ? 'float16' : 'float32'} embeddings${withText ? ' (image + text)' : ' (image only)'}, in ${root}`,
  );
  const gen = stage('generate', { dir: data, pairs, dims, dtype, text: withText });
  const files = gen.result as { tsv: string; image: string; text?: string; keys: string; sourceRows: number };
  console.log(
    `  tsv ${gb(files.tsv)} GB, img_emb ${gb(files.image)} GB${files.text ? `, text_emb ${gb(files.text)} GB` : ''}, ${files.sourceRows} embedding rows`,
  );
  const idx = stage('index', { workspace, tsv: files.tsv });
  const datasetId = Number(idx.result.datasetId);
  console.log(`  indexed ${String(idx.result.pairs)} pairs`);
  const imp = stage('import', {
    workspace,
    datasetId,
    image: files.image,
    text: files.text,
    keys: files.keys,
  });
  const rep = imp.result;
  console.log(
    `  matched ${String(rep.matched)}, unmatched ${JSON.stringify(rep.unmatched)}, pairs without vector ${JSON.stringify(
      (rep.pairsWithoutVector as { count: number }).count,
    )}, key table ${String(rep.keyTableMB)} MB, match ${JSON.stringify(rep.seconds)}`,
  );
  const cmp = stage('compress', { workspace, datasetId, model: rep.model, evaluate });
  console.log(`  kept ${String(cmp.result.kept)} of ${String(cmp.result.eligible)} eligible`);
  console.log(`  evaluation: ${JSON.stringify(cmp.result.evaluation).slice(0, 600)}`);

  const measured = [idx, imp, cmp];
  const total = measured.reduce((s, x) => s + x.seconds, 0);
  const cpu = measured.reduce((s, x) => s + x.cpuSeconds, 0);
  const peak = Math.max(...measured.map((x) => x.maxRssMB));
  console.log(
    `BENCH e2e-cc3m pairs=${pairs} total_s=${total.toFixed(1)} cpu_s=${cpu.toFixed(1)} peak_rss_mb=${peak} target_s=900 target_rss_mb=8192 ` +
      `index_s=${idx.seconds.toFixed(1)} index_rss_mb=${idx.maxRssMB} import_s=${imp.seconds.toFixed(1)} import_rss_mb=${imp.maxRssMB} ` +
      `compress_s=${cmp.seconds.toFixed(1)} compress_cpu_s=${cmp.cpuSeconds.toFixed(1)} index_cpu_s=${idx.cpuSeconds.toFixed(1)} compress_rss_mb=${cmp.maxRssMB} generate_s=${gen.seconds.toFixed(1)} dims=${dims} ` +
      `dtype=${dtype === '<f2' ? 'f16' : 'f32'} text=${withText ? 1 : 0} evaluate=${evaluate ? 1 : 0} ok=${total < 900 && peak < 8192 ? 1 : 0}`,
  );
} finally {
  if (!keep) rmSync(root, { recursive: true, force: true });
  else console.log(`kept ${root}`);
}
