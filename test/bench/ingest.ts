// `npm run bench -- ingest [--samples N]`: webdataset ingest (metadata and captions, no
// pixel decode) against Python's standard library (tarfile + sqlite3) reading the same
// shards into the same table, measured in the same run; at 1× and 4× the data to show
// that memory stays flat. Target: ≥ 2× the baseline's pairs/s.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeSyntheticWebdataset } from '../fixtures/dataset/synthetic-webdataset';

const args = process.argv.slice(2);
const base = Number(args[args.indexOf('--samples') + 1] || 25_000);
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const here = path.dirname(new URL(import.meta.url).pathname);
const tmp = path.join(os.tmpdir(), `tldr-bench-ingest-${process.pid}`);

interface Measure {
  pairs: number;
  seconds: number;
  maxRssMB: number;
  peakHeapMB?: number;
}

function run(cmd: string, argv: string[]): Measure {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Measure;
}

const rows: { scale: number; ours: Measure; python: Measure }[] = [];
try {
  for (const scale of [1, 4]) {
    const dir = path.join(tmp, `x${scale}`);
    mkdirSync(dir, { recursive: true });
    await writeSyntheticWebdataset(dir, { samples: base * scale, perShard: 5000, imageBytes: 8000 });
    // Same files, warm page cache for both: run each once, baseline first.
    const py = run(python, [
      path.join(here, '_python', 'ingest_tarfile.py'),
      dir,
      path.join(tmp, `py${scale}.db`),
    ]);
    const ours = run(process.execPath, [
      '--import',
      'tsx',
      path.join(here, '_ingest-run.ts'),
      dir,
      path.join(tmp, `ws${scale}`),
    ]);
    if (ours.pairs !== py.pairs)
      throw new Error(`pair counts differ: ours ${ours.pairs}, python ${py.pairs}`);
    rows.push({ scale, ours, python: py });
    console.log(
      `${scale}× (${ours.pairs} pairs): ours ${Math.round(ours.pairs / ours.seconds)} pairs/s, peak RSS ${ours.maxRssMB.toFixed(0)} MB, peak JS heap ${ours.peakHeapMB?.toFixed(0)} MB; ` +
        `python tarfile+sqlite3 ${Math.round(py.pairs / py.seconds)} pairs/s, peak RSS ${py.maxRssMB.toFixed(0)} MB`,
    );
    rmSync(dir, { recursive: true, force: true });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const r1 = rows[0]!;
const r4 = rows[1]!;
const rate = (m: Measure) => m.pairs / m.seconds;
const ratio = rate(r1.ours) / rate(r1.python);
const ratio4 = rate(r4.ours) / rate(r4.python);
console.log(
  `BENCH ingest pairs=${r1.ours.pairs} ours_pairs_per_s=${Math.round(rate(r1.ours))} python_pairs_per_s=${Math.round(rate(r1.python))} ` +
    `ratio=${ratio.toFixed(2)} ratio_4x=${ratio4.toFixed(2)} rss_mb_1x=${r1.ours.maxRssMB.toFixed(0)} rss_mb_4x=${r4.ours.maxRssMB.toFixed(0)} ` +
    `rss_growth=${(r4.ours.maxRssMB / r1.ours.maxRssMB).toFixed(2)} heap_mb_1x=${r1.ours.peakHeapMB?.toFixed(0)} heap_mb_4x=${r4.ours.peakHeapMB?.toFixed(0)} target_ratio=2`,
);
