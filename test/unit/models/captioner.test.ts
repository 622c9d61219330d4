import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Captioner, TLDR_CAPTION_OPTIONS } from '../../../main/core/models/captioner';
import { toRawImage } from '../../../main/core/models/image-input';
import { transformers } from '../../../main/core/models/transformers-env';
import { fakeProviders, testImage, tinyModels } from './_helpers';

let models: ReturnType<typeof tinyModels>;
let captioner: Captioner;

beforeAll(async () => {
  models = tinyModels();
  captioner = await Captioner.load({ folder: models.dirs.captioner, providers: fakeProviders() });
});

afterAll(async () => {
  await captioner?.dispose();
  models.cleanup();
});

describe('Captioner on the tiny ViT-GPT2', () => {
  it('captions each image with TL;DR settings (beam 3, 10–30 new tokens)', async () => {
    const done: number[] = [];
    const caps = await captioner.caption([testImage(1), testImage(2)], { onImage: (n) => done.push(n) });
    expect(TLDR_CAPTION_OPTIONS).toEqual({ numBeams: 3, maxNewTokens: 30, minNewTokens: 10 });
    expect(caps).toHaveLength(2);
    for (const c of caps) {
      const words = c.split(/\s+/).filter(Boolean);
      expect(words.length).toBeGreaterThanOrEqual(10);
      expect(words.length).toBeLessThanOrEqual(30);
      expect(c).not.toMatch(/\[PAD\]|<\|endoftext\|>/);
    }
    expect(done).toEqual([1, 2]);
  });

  it('with one beam equals transformers.js’ own greedy generate (same decoder contract)', async () => {
    const t = await transformers();
    const image = await toRawImage(t, testImage(3));
    const pipe = await t.pipeline('image-to-text', models.dirs.captioner, { device: 'cpu', dtype: 'fp32' });
    const lib = (await pipe(image, { max_new_tokens: 12, min_new_tokens: 6 })) as Array<{
      generated_text: string;
    }>;
    const [ours] = await captioner.caption([image], { numBeams: 1, maxNewTokens: 12, minNewTokens: 6 });
    expect(ours).toBe(lib[0]!.generated_text);
    await pipe.dispose();
  });
});

describe('beam search with the KV cache', () => {
  it('reorders the cache correctly: same caption as re-running every beam without a cache', async () => {
    const ort = await import('onnxruntime-node');
    const path = await import('node:path');
    const { beamSearch } = await import('../../../main/core/models/beam-search');
    const t = await transformers();
    const image = await toRawImage(t, testImage(7));
    const processor = await t.AutoImageProcessor.from_pretrained(models.dirs.captioner);
    const { pixel_values } = await processor(image);
    const encoder = await ort.InferenceSession.create(
      path.join(models.dirs.captioner, 'onnx', 'encoder_model.onnx'),
    );
    const decoder = await ort.InferenceSession.create(
      path.join(models.dirs.captioner, 'onnx', 'decoder_model_merged.onnx'),
    );
    const pv = new ort.Tensor('float32', pixel_values.data as Float32Array, pixel_values.dims as number[]);
    const enc = (await encoder.run({ pixel_values: pv })).last_hidden_state!;
    const [, T, D] = enc.dims as [number, number, number];
    const encData = enc.data as Float32Array;

    // No cache: every step feeds each beam's whole sequence with an empty past.
    let sequences: number[][] = [];
    const reference = await beamSearch(
      async ({ tokens, parents, step }) => {
        sequences = step === 0 ? [[2]] : parents.map((p, i) => [...sequences[p]!, tokens[i]!]);
        const rows = sequences.length;
        const len = sequences[0]!.length;
        const ids = new ort.Tensor('int64', BigInt64Array.from(sequences.flat().map(BigInt)), [rows, len]);
        const encRows = new Float32Array(rows * T * D);
        for (let r = 0; r < rows; r++) encRows.set(encData, r * T * D);
        const empty = new ort.Tensor('float32', new Float32Array(0), [rows, 2, 0, 8]);
        const out = await decoder.run({
          input_ids: ids,
          encoder_hidden_states: new ort.Tensor('float32', encRows, [rows, T, D]),
          'past_key_values.0.key': empty,
          'past_key_values.0.value': empty,
          use_cache_branch: new ort.Tensor('bool', new Uint8Array([0]), [1]),
        });
        const logits = out.logits!.data as Float32Array;
        const V = out.logits!.dims[2]!;
        return sequences.map((_, r) => logits.subarray((r * len + len - 1) * V, (r * len + len) * V));
      },
      { startTokens: [2], eosTokenIds: [3], numBeams: 3, maxNewTokens: 14, minNewTokens: 4 },
    );
    const tokenizer = await t.AutoTokenizer.from_pretrained(models.dirs.captioner);
    const expected = tokenizer.decode(reference.tokens, { skip_special_tokens: true }).trim();
    const [ours] = await captioner.caption([image], { numBeams: 3, maxNewTokens: 14, minNewTokens: 4 });
    expect(ours).toBe(expected);
    await Promise.all([encoder.release(), decoder.release()]);
  });
});
