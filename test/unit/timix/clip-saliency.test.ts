// CLIP-family saliency through the same loader as the export, on the tiny CLIP.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCore, openCore, type CoreContext } from '../../../main/core/context';
import { decodeImage } from '../../../main/core/image/decode';
import { ClipEncoder } from '../../../main/core/models/clip-encoder';
import type { DatasetRow } from '../../../main/core/store/datasets';
import type { StoredPair } from '../../../main/core/store/pairs';
import { clipSaliency } from '../../../main/core/timix/saliency';
import { openSaliencySource } from '../../../main/core/timix/saliency-source';
import { tempDir } from '../../helpers/tmp';
import { fakeProviders, testImage, tinyModels } from '../models/_helpers';

let models: ReturnType<typeof tinyModels>;
let clip: ClipEncoder;
let ctx: CoreContext;
const tmp = tempDir('tldr-timix-clip-');

function pair(seq: number, file: string, caption: string): StoredPair {
  return {
    id: seq + 1,
    seq,
    key: String(seq),
    imageKey: String(seq),
    image: { kind: 'file', path: file },
    caption,
    width: null,
    height: null,
    bytes: null,
    mtimeMs: null,
    hash: null,
    uid: null,
    url: null,
    split: null,
    status: 'ok',
    errorKind: null,
    error: null,
  };
}

beforeAll(async () => {
  models = tinyModels();
  clip = await ClipEncoder.load({ folder: models.dirs.clip, providers: fakeProviders() });
  ctx = openCore(path.join(tmp.dir, 'ws'));
  for (const [i, [w, h]] of [
    [64, 48],
    [40, 90],
  ].entries()) {
    const img = testImage(i + 1, w, h);
    writeFileSync(
      path.join(tmp.dir, `${i}.png`),
      await sharp(img.data, { raw: { width: w!, height: h!, channels: 3 } })
        .png()
        .toBuffer(),
    );
  }
  writeFileSync(path.join(tmp.dir, 'broken.jpg'), 'nope');
});

afterAll(async () => {
  await clip?.dispose();
  await closeCore(ctx);
  models.cleanup();
  tmp.cleanup();
});

describe('CLIP-family saliency source', () => {
  it('gives z-scored 16 × 16 maps equal to the cosine of projected patch tokens with the caption', async () => {
    const dataset = { id: 1, root: tmp.dir } as DatasetRow;
    const src = await openSaliencySource(ctx, dataset, clip);
    const pairs = [
      pair(0, '0.png', 'a red car'),
      pair(1, '1.png', 'a dog on grass'),
      pair(2, 'broken.jpg', 'x'),
    ];
    const maps = await src.maps(pairs);
    expect(maps[2]).toBeNull();
    for (const i of [0, 1]) {
      const m = maps[i]!;
      expect(m).toHaveLength(256);
      const decoded = await decodeImage(readFileSync(path.join(tmp.dir, `${i}.png`)), {
        fit: { width: 224, height: 224, mode: 'cover' },
      });
      const [tok] = await clip.patchTokens([decoded]);
      expect(tok!.grid).toEqual([4, 4]);
      const [text] = await clip.embedTexts([pairs[i]!.caption!]);
      const want = clipSaliency(tok!.projected!, tok!.grid, text!);
      for (let k = 0; k < 256; k++) expect(m[k]).toBeCloseTo(want[k]!, 4);
      let mean = 0;
      for (const v of m) mean += v / 256;
      expect(Math.abs(mean)).toBeLessThan(1e-4);
    }
    await src.close();
  });
});
