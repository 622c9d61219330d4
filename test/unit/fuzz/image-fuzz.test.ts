// Hostile image bytes through the image path every feature and thumbnail goes through:
// header probe (the readers' and sharp's), decode to RGB8, and the cached WebP thumbnail.
// Seeds are small real LLaVA-pretrain JPEGs and the same picture re-encoded as PNG, WebP,
// GIF and TIFF; mutations as in readers-fuzz. Each input must either decode to a buffer of
// the stated size or fail with an ImageError of a known kind, within a time limit, with
// memory bounded.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sizeOfImageBytes } from '../../../main/core/dataset/image-probe';
import { ERROR_KINDS } from '../../../main/core/dataset/types';
import { decodeImage, getThumbnail, isImageError, probeImage } from '../../../main/core/image';
import { budgetMs, caseSeed, mutateMany, rng, runSeed, withTimeout } from '../../helpers/fuzz';
import { sharedData, tempDir } from '../../helpers/tmp';

const SEED = runSeed();
const BUDGET_MS = budgetMs(6000);
const MAX_CASES = Number(process.env.TLDR_FUZZ_CASES) || 1000;
const CASE_TIMEOUT_MS = 10_000;
const RSS_GROWTH_LIMIT = 400 * 1024 * 1024;
/** Small enough that a header lying about its size is refused, large enough for the seeds. */
const MAX_PIXELS = 4_000_000;

const tmp = tempDir('tldr-image-fuzz-');
afterAll(() => tmp.cleanup());
const root = path.join(tmp.dir, 'data');
const workspace = path.join(tmp.dir, 'ws');

const seeds: [name: string, bytes: Buffer][] = [];
beforeAll(async () => {
  await mkdir(root, { recursive: true });
  await mkdir(workspace, { recursive: true });
  const dir = path.join(sharedData, 'llava-pretrain-2k', 'images');
  for (const n of ['000010021.jpg', '000012768.jpg']) seeds.push([n, readFileSync(path.join(dir, n))]);
  const small = sharp(seeds[0]![1]).resize(48, 36);
  seeds.push(['png', await small.clone().png().toBuffer()]);
  seeds.push(['png+alpha', await small.clone().ensureAlpha(0.5).png().toBuffer()]);
  seeds.push(['webp', await small.clone().webp().toBuffer()]);
  seeds.push(['gif', await small.clone().gif().toBuffer()]);
  seeds.push(['tiff', await small.clone().tiff().toBuffer()]);
});

/** An expected failure: ImageError with a known kind and a message. */
function expectImageError(e: unknown, where: string): string {
  if (!isImageError(e)) {
    throw new Error(`${where}: threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`, {
      cause: e,
    });
  }
  expect(ERROR_KINDS, where).toContain(e.kind);
  expect(e.message, where).toBeTruthy();
  return e.kind;
}

describe('image path under hostile bytes', () => {
  it('probe, decode and thumbnail either succeed consistently or fail with an ImageError', async () => {
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const started = Date.now();
    const outcomes: Record<string, number> = {};
    const count = (k: string): void => {
      outcomes[k] = (outcomes[k] ?? 0) + 1;
    };
    let cases = 0;
    for (; cases < MAX_CASES && Date.now() - started < BUDGET_MS; cases++) {
      const r = rng(caseSeed(SEED, 'image', cases));
      const [seedName, seedBytes] = seeds[Math.floor(r() * seeds.length)]!;
      const m = mutateMany(seedBytes, r);
      const where = `TLDR_FUZZ_SEED=${SEED} image case=${cases} seed=${seedName} mutation=${m.name}`;
      const run = async (): Promise<void> => {
        let decoded = false;
        // The readers' header probe: a size or undefined, never a throw.
        const size = await sizeOfImageBytes(m.bytes.length, async (n) => m.bytes.subarray(0, n));
        if (size) expect(size.width > 0 && size.height > 0, where).toBe(true);
        try {
          const p = await probeImage(m.bytes);
          expect(p.width > 0 && p.height > 0, where).toBe(true);
        } catch (e) {
          expectImageError(e, where);
        }
        try {
          const d = await decodeImage(m.bytes, {
            maxPixels: MAX_PIXELS,
            ...(r() < 0.5 ? { fit: { width: 32, height: 32, mode: 'cover' as const } } : {}),
          });
          expect(d.data.length, where).toBe(d.width * d.height * 3);
          decoded = true;
          count('decoded');
        } catch (e) {
          count(`decode:${expectImageError(e, where)}`);
        }
        // Through the thumbnail cache, as the grid asks for it (a fresh name per case).
        const rel = `c${cases}.img`;
        await writeFile(path.join(root, rel), m.bytes);
        try {
          const file = await getThumbnail({
            workspace,
            datasetId: '1',
            root,
            ref: { kind: 'file', path: rel },
            size: 64,
            maxPixels: MAX_PIXELS,
          });
          const meta = await sharp(file).metadata();
          expect(meta.format, where).toBe('webp');
          expect(Math.max(meta.width, meta.height), where).toBeLessThanOrEqual(64);
          count('thumbnail');
          expect(decoded, `${where}: a thumbnail of bytes that did not decode`).toBe(true);
        } catch (e) {
          count(`thumbnail:${expectImageError(e, where)}`);
          expect(decoded, `${where}: decoded but no thumbnail`).toBe(false);
        }
      };
      await withTimeout(run(), CASE_TIMEOUT_MS, where);
      peak = Math.max(peak, process.memoryUsage().rss);
      expect(peak - rss0, `${where}: RSS grew by ${((peak - rss0) / 2 ** 20).toFixed(0)} MB`).toBeLessThan(
        RSS_GROWTH_LIMIT,
      );
    }
    console.log(
      `image fuzz seed=${SEED}: ${cases} cases in ${Date.now() - started} ms, rss +${((peak - rss0) / 2 ** 20).toFixed(0)} MB, ${JSON.stringify(outcomes)}`,
    );
    // Mutations keep some inputs decodable and break others: both paths ran.
    expect(outcomes.decoded).toBeGreaterThan(0);
    expect(Object.keys(outcomes).some((k) => k.startsWith('decode:'))).toBe(true);
  });
});
