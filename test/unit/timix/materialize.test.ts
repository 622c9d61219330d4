import { createReadStream, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { extract } from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../main/core/compute/prng';
import { windowToTrainingPixels } from '../../../main/core/timix/geometry';
import {
  decodeForMix,
  Materializer,
  mixSample,
  renderBatch,
  type LoadImage,
} from '../../../main/core/timix/materialize';
import { buildRecipeBatch, type RecipePair } from '../../../main/core/timix/recipe';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('tldr-timix-mat-');
afterAll(() => tmp.cleanup());

/** A noisy PNG (lossless, every pixel different) of w × h. */
async function noisePng(seed: number, w: number, h: number): Promise<Buffer> {
  const rng = createRng(seed);
  const data = Buffer.alloc(w * h * 3);
  for (let i = 0; i < data.length; i++) data[i] = rng.int(256);
  return sharp(data, { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toBuffer();
}

const SIZES: [number, number][] = [
  [300, 200],
  [224, 224],
  [150, 400],
  [512, 384],
  [97, 131],
];

async function fixture(seed: number) {
  const images = await Promise.all(SIZES.map(([w, h], i) => noisePng(seed * 10 + i, w, h)));
  const pairs: RecipePair[] = SIZES.map(([width, height], seq) => ({
    seq,
    key: `p${seq}`,
    image: { kind: 'file', path: `${seq}.png` },
    caption: `caption ${seq}`,
    width,
    height,
  }));
  const rng = createRng(seed);
  const maps = pairs.map(() => Float32Array.from({ length: 256 }, () => rng.next() * 2 - 1));
  const load: LoadImage = async (p) => images[p.seq]!;
  return { images, pairs, maps, load };
}

async function rawOf(png: Uint8Array): Promise<Uint8Array> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(3);
  return new Uint8Array(data);
}

function compareRegions(
  mixed: Uint8Array,
  target: Uint8Array,
  source: Uint8Array,
  size: number,
  tBox: { left: number; top: number; width: number; height: number },
  sBox: { left: number; top: number },
): { inside: number; outside: number } {
  let inside = 0;
  let outside = 0;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const inWin =
        x >= tBox.left && x < tBox.left + tBox.width && y >= tBox.top && y < tBox.top + tBox.height;
      const want = inWin
        ? source.subarray(((sBox.top + y - tBox.top) * size + sBox.left + x - tBox.left) * 3)
        : target.subarray((y * size + x) * 3);
      const got = mixed.subarray((y * size + x) * 3);
      const same = got[0] === want[0] && got[1] === want[1] && got[2] === want[2];
      if (!same) {
        if (inWin) inside++;
        else outside++;
      }
    }
  return { inside, outside };
}

describe('materialised mixes', () => {
  it('paste exactly the source’s window over the target’s, and nothing else (PNG, every s)', async () => {
    const f = await fixture(1);
    for (const size of [224, 160]) {
      const decoded = await Promise.all(f.images.map((b) => decodeForMix(b, size)));
      for (let s = 1; s <= 16; s++) {
        const batch = buildRecipeBatch(0, 0, f.pairs, f.maps, s);
        const rendered = await renderBatch(batch, f.load, { size, format: 'png' });
        expect(rendered).toHaveLength(f.pairs.length);
        for (const r of rendered) {
          expect(r.image).toBeInstanceOf(Uint8Array);
          const mixed = await rawOf(r.image as Uint8Array);
          expect(mixed).toHaveLength(size * size * 3);
          const t = decoded[r.sample.target.seq]!;
          const src = decoded[r.sample.source.seq]!;
          const tBox = windowToTrainingPixels(r.sample.target.window, size, 16);
          const sBox = windowToTrainingPixels(r.sample.source.window, size, 16);
          expect(tBox.width).toBe((s * size) / 16);
          expect(compareRegions(mixed, t, src, size, tBox, sBox)).toEqual({ inside: 0, outside: 0 });
          // the pure mix gives the same pixels as the PNG round trip
          expect(Buffer.compare(Buffer.from(mixSample(r.sample, t, src, size)), Buffer.from(mixed))).toBe(0);
        }
      }
    }
  });

  it('leave out a sample whose image fails, and keep the others', async () => {
    const f = await fixture(2);
    const batch = buildRecipeBatch(0, 0, f.pairs, f.maps, 6);
    const bad: LoadImage = async (p) => (p.seq === 1 ? Buffer.from('not an image') : f.images[p.seq]!);
    const rendered = await renderBatch(batch, bad, { format: 'jpg' });
    const failed = rendered.filter((r) => !(r.image instanceof Uint8Array));
    // seq 1 is a target once and a source once
    expect(failed.map((r) => [r.sample.target.seq, r.sample.source.seq]).sort()).toEqual([
      [1, 3],
      [3, 1],
    ]);
  });

  it('stream webdataset shards: <key>.png/.json/.txt, rollover, sizes.json', async () => {
    const f = await fixture(3);
    const dir = path.join(tmp.dir, 'shards');
    mkdirSync(dir);
    const m = new Materializer(dir, f.load, { format: 'png', samplesPerShard: 3 });
    const b0 = buildRecipeBatch(0, 0, f.pairs, f.maps, 5);
    const b1 = buildRecipeBatch(1, 5, f.pairs.slice(0, 4), f.maps.slice(0, 4), 9);
    await m.add(b0);
    await m.add(b1);
    const stats = await m.close();
    expect(stats.written).toBe(9);
    expect(stats.failed).toEqual({});
    expect(stats.shards).toEqual([
      { name: '00000.tar', samples: 3 },
      { name: '00001.tar', samples: 3 },
      { name: '00002.tar', samples: 3 },
    ]);
    expect(readdirSync(dir).sort()).toEqual(['00000.tar', '00001.tar', '00002.tar', 'sizes.json']);
    expect(JSON.parse(readFileSync(path.join(dir, 'sizes.json'), 'utf8'))).toEqual({
      '00000.tar': 3,
      '00001.tar': 3,
      '00002.tar': 3,
    });
    const members: { name: string; data: Buffer }[] = [];
    for (const shard of stats.shards) {
      const ex = extract();
      createReadStream(path.join(dir, shard.name)).pipe(ex);
      for await (const entry of ex) {
        const chunks: Buffer[] = [];
        for await (const c of entry) chunks.push(c as Buffer);
        members.push({ name: entry.header.name, data: Buffer.concat(chunks) });
      }
    }
    expect(members.slice(0, 3).map((x) => x.name)).toEqual([
      '000000000.png',
      '000000000.json',
      '000000000.txt',
    ]);
    expect(members).toHaveLength(27);
    const meta = JSON.parse(members[1]!.data.toString()) as Record<string, unknown>;
    const first = b0.samples[0]!;
    expect(meta).toMatchObject({
      key: '000000000',
      captions: [first.target.caption, first.source.caption],
      weights: [first.lambda, 1 - first.lambda],
      s: 5,
    });
    expect(members[2]!.data.toString()).toBe(first.target.caption); // λ > ½ at s = 5
    // the mixed image is at the training size
    const img = await sharp(members[0]!.data).metadata();
    expect([img.width, img.height]).toEqual([224, 224]);
  });
});
