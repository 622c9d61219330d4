// TiMix materialisation speed against its limit: sharp decoding the same images at the
// training size and encoding one JPEG each (what materialising must do at least: every
// image is decoded once per batch and every mixed sample encoded once).
//   npm run bench -- timix [--n N] [--size 224] [--batch 64] [--rounds 2] [--quality 90]
// On the real images of ../shared/data/llava-pretrain-2k/images (skipped when absent).
// Saliency maps are seeded random: computing saliency is not part of this measurement.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRng } from '../../main/core/compute/prng';
import { forEachPool } from '../../main/core/demo/pool';
import {
  batchesOf,
  buildRecipeBatch,
  shuffledOrder,
  squareSizeDrawer,
  type RecipeBatch,
  type RecipePair,
} from '../../main/core/timix/recipe';
import { decodeForMix, encodeRgb, Materializer } from '../../main/core/timix/materialize';
import { squareSizes } from '../../main/core/timix/mixing';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const imagesDir = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'shared',
  'data',
  'llava-pretrain-2k',
  'images',
);
if (!existsSync(imagesDir)) {
  console.log(`timix bench skipped: ${imagesDir} is absent`);
  console.log('BENCH timix skipped=1 reason=no_images');
  process.exit(0);
}
const files = readdirSync(imagesDir)
  .filter((f) => /\.(jpe?g|png|webp)$/i.test(f))
  .sort();
const n = Math.min(files.length, arg('n', files.length));
const size = arg('size', 224);
const batchSize = arg('batch', 64);
const rounds = arg('rounds', 2);
const quality = arg('quality', 90);
const load = () => os.loadavg()[0]!.toFixed(2);
console.log(
  `timix bench: ${n} images from ${imagesDir}, training size ${size}, batch ${batchSize}, ` +
    `${os.availableParallelism()} cores, libuv pool ${process.env.UV_THREADPOOL_SIZE ?? 4}, load ${load()}`,
);

const pairs: RecipePair[] = files.slice(0, n).map((f, seq) => ({
  seq,
  key: f.replace(/\.[^.]+$/, ''),
  image: { kind: 'file', path: f },
  caption: `caption of ${f}`,
  width: 640,
  height: 480,
}));
const rng = createRng(1);
const maps = pairs.map(() => Float32Array.from({ length: 256 }, () => rng.next() * 2 - 1));
const draw = squareSizeDrawer(1, squareSizes());
const batches: RecipeBatch[] = [];
let first = 0;
for (const slice of batchesOf(
  shuffledOrder(
    Int32Array.from(pairs, (p) => p.seq),
    1,
  ),
  batchSize,
)) {
  const b = buildRecipeBatch(
    batches.length,
    first,
    Array.from(slice, (s) => pairs[s]!),
    Array.from(slice, (s) => maps[s]!),
    draw(),
  );
  first += b.samples.length;
  batches.push(b);
}
const readPair = (p: RecipePair) => readFile(path.join(imagesDir, (p.image as { path: string }).path));

/** The limit: read, decode at the training size and encode one JPEG per image, `c` at a time. */
async function limit(c: number): Promise<{ ips: number; failed: number }> {
  let failed = 0;
  const t0 = performance.now();
  await forEachPool(pairs, c, async (p) => {
    try {
      await encodeRgb(await decodeForMix(await readPair(p), size), size, 'jpg', quality);
    } catch {
      failed++;
    }
  });
  return { ips: (n - failed) / ((performance.now() - t0) / 1000), failed };
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'tldr-bench-timix-'));
let runNo = 0;
async function materialize(): Promise<{ ips: number; written: number; failed: number; bytes: number }> {
  const dir = path.join(scratch, `run-${runNo++}`);
  await mkdir(dir);
  const t0 = performance.now();
  const m = new Materializer(dir, readPair, { size, format: 'jpg', quality });
  for (const b of batches) await m.add(b);
  const stats = await m.close();
  const seconds = (performance.now() - t0) / 1000;
  const bytes = stats.shards.reduce((s, x) => s + statSync(path.join(dir, x.name)).size, 0);
  rmSync(dir, { recursive: true, force: true });
  const failed = Object.values(stats.failed).reduce((a, b) => a + b, 0);
  return { ips: stats.written / seconds, written: stats.written, failed, bytes };
}

try {
  // Warm-up: page cache, sharp's first-use costs.
  await forEachPool(pairs.slice(0, 64), 4, async (p) => {
    await encodeRgb(await decodeForMix(await readPair(p), size), size, 'jpg', quality);
  });
  let bestLimit = { ips: 0, failed: 0, c: 0 };
  let bestMix = { ips: 0, written: 0, failed: 0, bytes: 0 };
  // Rounds interleaved so that a change of machine load hits both sides alike.
  for (let r = 0; r < rounds; r++) {
    for (const c of [4, 8]) {
      const l = await limit(c);
      console.log(
        `  round ${r + 1}: decode + encode alone, ${c} in flight: ${l.ips.toFixed(1)} images/s (load ${load()})`,
      );
      if (l.ips > bestLimit.ips) bestLimit = { ...l, c };
    }
    const m = await materialize();
    console.log(
      `  round ${r + 1}: materialise (decode, paste, encode, tar): ${m.ips.toFixed(1)} images/s, ` +
        `${m.written} written, ${m.failed} failed (load ${load()})`,
    );
    if (m.ips > bestMix.ips) bestMix = m;
  }
  const ratio = bestMix.ips / bestLimit.ips;
  console.log(`limit (sharp decode + encode alone, best): ${bestLimit.ips.toFixed(1)} images/s`);
  console.log(
    `materialise (best): ${bestMix.ips.toFixed(1)} images/s, ${(bestMix.bytes / 1e6).toFixed(1)} MB of shards`,
  );
  console.log(`ratio: ${(100 * ratio).toFixed(1)} % of the limit (target ≥ 60 %)`);
  const fields: Record<string, string> = {
    images: String(n),
    size: String(size),
    batch: String(batchSize),
    rounds: String(rounds),
    limit_ips: bestLimit.ips.toFixed(1),
    limit_concurrency: String(bestLimit.c),
    mix_ips: bestMix.ips.toFixed(1),
    ratio: ratio.toFixed(3),
    target: '0.60',
    written: String(bestMix.written),
    failed: String(bestMix.failed),
    cores: String(os.availableParallelism()),
    load_end: load(),
  };
  console.log(
    `BENCH timix ${Object.entries(fields)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
