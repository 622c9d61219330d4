import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClipEncoder } from '../../../main/core/models/clip-encoder';
import { openEncoder } from '../../../main/core/models/open-model';
import { extractProjectionHead } from '../../../main/core/models/vision-head';
import { dot, fakeProviders, norm, testImage, tinyModels } from './_helpers';

let models: ReturnType<typeof tinyModels>;
let clip: ClipEncoder;
let siglip: ClipEncoder;

beforeAll(async () => {
  models = tinyModels();
  const providers = fakeProviders();
  [clip, siglip] = await Promise.all([
    ClipEncoder.load({ folder: models.dirs.clip, providers }),
    openEncoder({ folder: models.dirs.siglip }, { workspace: models.root, providers }),
  ]);
});

afterAll(async () => {
  await Promise.all([clip?.dispose(), siglip?.dispose()]);
  models.cleanup();
});

describe('ClipEncoder on the tiny CLIP', () => {
  it('reads the family, grid and sizes from the folder', () => {
    expect(clip.family).toBe('clip');
    expect(clip.patchGrid).toEqual([4, 4]);
    expect(clip.embeddingDim).toBe(8);
    expect(clip.device).toBe('cpu');
  });

  it('embeds images as unit-norm rows, in batches, deterministically', async () => {
    const images = [testImage(1), testImage(2), testImage(3)];
    const rows = await clip.embedImages(images, { batchSize: 2 });
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r).toHaveLength(8);
      expect(norm(r)).toBeCloseTo(1, 5);
    }
    const again = await clip.embedImages([images[1]!]);
    expect(Array.from(again[0]!)).toEqual(Array.from(rows[1]!).map((x) => expect.closeTo(x, 5)));
    expect(dot(rows[0]!, rows[1]!)).toBeLessThan(0.9999);
  });

  it('embeds texts as unit-norm rows independent of batch padding', async () => {
    const texts = ['a photo of a dog', 'red car on the street near a large green tree', 'cat'];
    const rows = await clip.embedTexts(texts);
    expect(rows.map((r) => r.length)).toEqual([8, 8, 8]);
    for (const r of rows) expect(norm(r)).toBeCloseTo(1, 5);
    const alone = await clip.embedTexts(['cat']);
    expect(dot(alone[0]!, rows[2]!)).toBeCloseTo(1, 5);
  });

  it('gives patch tokens without CLS and projected tokens in the text space', async () => {
    const [p] = await clip.patchTokens([testImage(4)]);
    expect(p).toMatchObject({ grid: [4, 4], count: 16, dim: 16, projectedDim: 8 });
    expect(p!.tokens).toHaveLength(16 * 16);
    expect(p!.projected).toHaveLength(16 * 8);
    expect(clip.projectionUnavailable).toBeUndefined();
  });

  it('patch rows are last_hidden_state rows 1…16 and their projections row by row', async () => {
    const { transformers } = await import('../../../main/core/models/transformers-env');
    const { toRawImage } = await import('../../../main/core/models/image-input');
    const t = await transformers();
    const processor = await t.AutoImageProcessor.from_pretrained(models.dirs.clip);
    const { pixel_values } = await processor(await toRawImage(t, testImage(6)));
    const file = path.join(models.dirs.clip, 'onnx', 'vision_model.onnx');
    const full = await ort.InferenceSession.create(file);
    const out = await full.run({
      pixel_values: new ort.Tensor(
        'float32',
        pixel_values.data as Float32Array,
        pixel_values.dims as number[],
      ),
    });
    const hidden = out.last_hidden_state!.data as Float32Array;
    const [p] = await clip.patchTokens([testImage(6)]);
    expect(Array.from(p!.tokens)).toEqual(
      Array.from(hidden.slice(16, 17 * 16)).map((x) => expect.closeTo(x, 5)),
    );
    const result = extractProjectionHead(readFileSync(file));
    if (!result.ok) throw new Error(result.reason);
    const head = await ort.InferenceSession.create(result.head.model);
    const projected = (await head.run({ rows: new ort.Tensor('float32', p!.tokens, [16, 16]) })).projected!;
    expect(Array.from(p!.projected!)).toEqual(
      Array.from(projected.data as Float32Array).map((x) => expect.closeTo(x, 5)),
    );
    await Promise.all([full.release(), head.release()]);
  });
});

describe('projection head extraction', () => {
  it('applies exactly the CLS path (post-LayerNorm + projection) to any row', async () => {
    const file = path.join(models.dirs.clip, 'onnx', 'vision_model.onnx');
    const result = extractProjectionHead(readFileSync(file));
    if (!result.ok) throw new Error(result.reason);
    expect(result.head.nodeCount).toBe(3); // LayerNormalization, MatMul, the Identity naming image_embeds

    // CLS row of last_hidden_state through the head = image_embeds of the full model.
    const full = await ort.InferenceSession.create(file);
    const head = await ort.InferenceSession.create(result.head.model);
    const pixels = new ort.Tensor(
      'float32',
      Float32Array.from({ length: 2 * 3 * 32 * 32 }, (_, i) => Math.sin(i)),
      [2, 3, 32, 32],
    );
    const out = await full.run({ pixel_values: pixels });
    const hidden = out.last_hidden_state!.data as Float32Array;
    const cls = new Float32Array(2 * 16);
    cls.set(hidden.subarray(0, 16), 0);
    cls.set(hidden.subarray(17 * 16, 17 * 16 + 16), 16);
    const projected = (await head.run({ rows: new ort.Tensor('float32', cls, [2, 16]) })).projected!
      .data as Float32Array;
    const embeds = out.image_embeds!.data as Float32Array;
    expect(Array.from(projected)).toEqual(Array.from(embeds).map((x) => expect.closeTo(x, 5)));
    await Promise.all([full.release(), head.release()]);
  });

  it('also finds the CLS row taken by Slice + Squeeze', async () => {
    const { tinyClipVisionModel, TINY_CLIP_DIMS } = await import('../../../native-models/tiny-clip');
    const bytes = tinyClipVisionModel(TINY_CLIP_DIMS, 11, 'slice');
    const result = extractProjectionHead(bytes);
    if (!result.ok) throw new Error(result.reason);
    const full = await ort.InferenceSession.create(bytes);
    const head = await ort.InferenceSession.create(result.head.model);
    const pixels = new ort.Tensor(
      'float32',
      Float32Array.from({ length: 3 * 32 * 32 }, (_, i) => Math.cos(i)),
      [1, 3, 32, 32],
    );
    const out = await full.run({ pixel_values: pixels });
    const cls = (out.last_hidden_state!.data as Float32Array).slice(0, 16);
    const projected = (await head.run({ rows: new ort.Tensor('float32', cls, [1, 16]) })).projected!
      .data as Float32Array;
    expect(Array.from(projected)).toEqual(
      Array.from(out.image_embeds!.data as Float32Array).map((x) => expect.closeTo(x, 5)),
    );
    await Promise.all([full.release(), head.release()]);
  });

  it('explains why a model without a CLS head cannot be projected', () => {
    const file = path.join(models.dirs.siglip, 'onnx', 'vision_model.onnx');
    expect(extractProjectionHead(readFileSync(file))).toEqual({
      ok: false,
      reason: 'no image_embeds output',
    });
    const named = extractProjectionHead(readFileSync(file), {
      tokens: 'last_hidden_state',
      pooled: 'pooler_output',
    });
    expect(named).toMatchObject({ ok: false, reason: expect.stringMatching(/no CLS selection/) });
  });
});

describe('ClipEncoder on the tiny SigLIP', () => {
  it('uses pooler_output, max-length text padding and all tokens as patches', async () => {
    expect(siglip.family).toBe('siglip');
    const [img] = await siglip.embedImages([testImage(5)]);
    expect(img).toHaveLength(16);
    expect(norm(img!)).toBeCloseTo(1, 5);
    const [txt] = await siglip.embedTexts(['two dogs playing with a ball']);
    expect(txt).toHaveLength(16);
    expect(norm(txt!)).toBeCloseTo(1, 5);
    const [p] = await siglip.patchTokens([testImage(5)]);
    expect(p).toMatchObject({ count: 16, dim: 16, projected: null, projectedDim: null });
    expect(siglip.projectionUnavailable).toMatch(/attention head/);
  });
});
