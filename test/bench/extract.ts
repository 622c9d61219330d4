// `npm run bench -- extract`: builtin feature extraction (decode + cover-crop to 224 px +
// patch and global descriptors) on the real images of ../shared/data against the limit of
// the same machine: sharp's decode-and-shrink of the same files alone, with the same
// concurrency. Target: ≥ 70 % of the decode-only throughput.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { createBuiltinEncoder } from '../../main/core/features/builtin/encoder';
import { INPUT_SIZE } from '../../main/core/features/builtin/descriptors';
import { ImageError } from '../../main/core/image/errors';

const dir = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'shared',
  'data',
  'llava-pretrain-2k',
  'images',
);
if (!existsSync(dir)) {
  console.log(`skipped: ${dir} is absent`);
  console.log('BENCH extract skipped=1');
  process.exit(0);
}
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.jpg'))
  .sort();
const buffers = files.map((f) => readFileSync(path.join(dir, f)));
const CONCURRENCY = 4;
const BATCH = 32;

async function decodeOnly(): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < buffers.length) {
      const b = buffers[next++]!;
      await sharp(b).resize(INPUT_SIZE, INPUT_SIZE, { fit: 'cover' }).removeAlpha().raw().toBuffer();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return buffers.length / ((performance.now() - t0) / 1000);
}

async function extract(): Promise<{ rate: number; failed: number }> {
  const enc = createBuiltinEncoder();
  const t0 = performance.now();
  let failed = 0;
  // As the embed job runs it: batches of 32, the next one decoding while the previous
  // one's results are taken.
  let inflight: Promise<unknown[]> | undefined;
  for (let s = 0; s < buffers.length; s += BATCH) {
    const next = enc.encodeImages(buffers.slice(s, s + BATCH));
    if (inflight) failed += (await inflight).filter((o) => o instanceof ImageError).length;
    inflight = next;
  }
  if (inflight) failed += (await inflight).filter((o) => o instanceof ImageError).length;
  return { rate: buffers.length / ((performance.now() - t0) / 1000), failed };
}

// Warm up both paths, then alternate rounds so load changes hit both alike.
await decodeOnly();
await extract();
const limits: number[] = [];
const ours: number[] = [];
let failed = 0;
for (let round = 0; round < 3; round++) {
  limits.push(await decodeOnly());
  const r = await extract();
  ours.push(r.rate);
  failed = r.failed;
}
const best = (x: number[]) => Math.max(...x);
const ratio = best(ours) / best(limits);
console.log(
  `${buffers.length} images: decode-only ${best(limits).toFixed(1)} images/s, builtin extraction ${best(ours).toFixed(1)} images/s (best of 3)`,
);
console.log(
  `BENCH extract images=${buffers.length} decode_ips=${best(limits).toFixed(1)} extract_ips=${best(ours).toFixed(1)} ratio=${ratio.toFixed(3)} failed=${failed} target=0.70`,
);
