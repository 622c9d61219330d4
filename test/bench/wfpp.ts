// `npm run bench -- wfpp [--captions N]`: WFPP on 1M captions against a Python reference of
// the same formula written from METHODS.md (stdlib only), in the same run: the kept sets
// must be identical; prints both times and the speed ratio (target ≥ 5×).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { wfppSelect } from '../../main/core/methods/wfpp';
import { keptIndices } from '../../main/core/methods/selection';
import { mulberry32 } from '../../main/core/methods/rng';

const args = process.argv.slice(2);
const n = Number(args[args.indexOf('--captions') + 1] || 1_000_000);
const ratio = 0.5;
const t = 1e-7;

// Zipf-distributed vocabulary with punctuation and digits, as web alt-text has.
function captions(count: number): string[] {
  const rand = mulberry32(42);
  const vocab = Array.from({ length: 30_000 }, (_, i) => {
    let s = '';
    let x = i + 1;
    do {
      s += String.fromCharCode(97 + (x % 26));
      x = Math.floor(x / 26);
    } while (x > 0);
    return s;
  });
  const zipf = () => Math.min(vocab.length - 1, Math.floor(Math.exp(rand() * Math.log(vocab.length)) - 1));
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const len = 3 + Math.floor(rand() * 25);
    const words: string[] = [];
    for (let w = 0; w < len; w++)
      words.push(rand() < 0.03 ? String(Math.floor(rand() * 2000)) : vocab[zipf()]!);
    let c = words.join(' ');
    if (rand() < 0.3) c += rand() < 0.5 ? '.' : ' !!';
    if (rand() < 0.1) c = c.replace(' ', "'s ");
    out.push(c);
  }
  return out;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'tldr-bench-wfpp-'));
try {
  const caps = captions(n);
  const file = path.join(dir, 'captions.txt');
  writeFileSync(file, caps.join('\n') + '\n');
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const pyOut = path.join(dir, 'kept.txt');
  const here = path.dirname(new URL(import.meta.url).pathname);
  const py = spawnSync(
    python,
    [path.join(here, '_python', 'wfpp_reference.py'), file, String(ratio), String(t), pyOut],
    {
      encoding: 'utf8',
    },
  );
  if (py.status !== 0) throw new Error(py.stderr);
  const pyResult = JSON.parse(py.stdout) as { seconds: number; cpuSeconds: number; kept: number };

  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const sel = wfppSelect(caps, { budget: { ratio }, t });
  const ours = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(c0);
  // CPU time as well: on a shared machine wall time depends on what else runs.
  const oursCpu = (used.user + used.system) / 1e6;
  const kept = keptIndices(sel);
  const pyKept = readFileSync(pyOut, 'utf8').split('\n').filter(Boolean).map(Number);
  let same = kept.length === pyKept.length;
  for (let i = 0; same && i < kept.length; i++) same = kept[i] === pyKept[i];
  console.log(
    `${n} captions: ours ${ours.toFixed(2)} s (CPU ${oursCpu.toFixed(2)}), python reference ${pyResult.seconds.toFixed(2)} s (CPU ${pyResult.cpuSeconds.toFixed(2)}); kept ${kept.length} vs ${pyKept.length}; identical: ${same}`,
  );
  console.log(
    `BENCH wfpp captions=${n} ours_s=${ours.toFixed(2)} python_s=${pyResult.seconds.toFixed(2)} speedup=${(pyResult.seconds / ours).toFixed(2)} ours_cpu_s=${oursCpu.toFixed(2)} python_cpu_s=${pyResult.cpuSeconds.toFixed(2)} cpu_speedup=${(pyResult.cpuSeconds / oursCpu).toFixed(2)} identical=${same} target_speedup=5`,
  );
  if (!same) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
