import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClipEncoder } from '../../../main/core/models/clip-encoder';
import {
  ModelUnavailableError,
  ensureModel,
  hubEndpoint,
  isOfflineMode,
  modelDir,
} from '../../../main/core/models/model-store';
import { getModel } from '../../../main/core/models/registry';
import { configureTransformers, transformers } from '../../../main/core/models/transformers-env';
import { tempDir } from '../../helpers/tmp';
import { fakeProviders, tinyModels } from './_helpers';

let models: ReturnType<typeof tinyModels>;
beforeAll(() => {
  models = tinyModels();
});
afterAll(() => models.cleanup());

describe('offline refusal', () => {
  it('names the exact folder and every file to put there', async () => {
    const { dir: workspace, cleanup } = tempDir();
    const entry = getModel('clip-vit-b32');
    const err = await ensureModel(entry, { workspace, download: true, offline: true }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ModelUnavailableError);
    const e = err as ModelUnavailableError;
    const folder = modelDir(workspace, 'clip-vit-b32');
    expect(e.folder).toBe(folder);
    expect(e.message).toContain('offline mode is on');
    expect(e.message).toContain(folder);
    for (const f of [
      'config.json',
      'preprocessor_config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'onnx/text_model.onnx',
      'onnx/vision_model.onnx',
    ]) {
      expect(e.message).toContain(f);
    }
    expect(e.message).toContain('Xenova/clip-vit-base-patch32');
    // The q8 variant asks for the quantized graphs instead.
    const q8 = (await ensureModel(entry, { workspace, dtype: 'q8', offline: true }).catch(
      (x: unknown) => x,
    )) as Error;
    expect(q8.message).toContain('onnx/vision_model_quantized.onnx');
    cleanup();
  });

  it('never downloads unless asked', async () => {
    const { dir: workspace, cleanup } = tempDir();
    const calls: string[] = [];
    const fetchImpl = (async (u: string) => (calls.push(u), new Response('x'))) as unknown as typeof fetch;
    await expect(
      ensureModel(getModel('siglip-b16-224'), { workspace, offline: false, fetchImpl }),
    ).rejects.toThrow(/no download was requested/);
    expect(calls).toEqual([]);
    cleanup();
  });

  it('refuses with the same message when the download fails', async () => {
    const { dir: workspace, cleanup } = tempDir();
    const fetchImpl = (async () => {
      throw new TypeError('fetch failed: getaddrinfo ENOTFOUND huggingface.co');
    }) as unknown as typeof fetch;
    const err = (await ensureModel(getModel('vit-gpt2-captioning'), {
      workspace,
      download: true,
      offline: false,
      fetchImpl,
    }).catch((e: unknown) => e)) as ModelUnavailableError;
    expect(err).toBeInstanceOf(ModelUnavailableError);
    expect(err.message).toMatch(/download failed \(fetch failed/);
    expect(err.message).toContain(modelDir(workspace, 'vit-gpt2-captioning'));
    expect(err.missing).toEqual(
      expect.arrayContaining(['onnx/encoder_model.onnx', 'onnx/decoder_model_merged.onnx']),
    );
    cleanup();
  });

  it('reads the offline flag and hub endpoint from the environment', () => {
    expect(isOfflineMode({})).toBe(false);
    expect(isOfflineMode({ TLDR_OFFLINE: '1' })).toBe(true);
    expect(isOfflineMode({ HF_HUB_OFFLINE: 'true' })).toBe(true);
    expect(isOfflineMode({ TRANSFORMERS_OFFLINE: '0' })).toBe(false);
    expect(hubEndpoint({})).toBe('https://huggingface.co');
    expect(hubEndpoint({ HF_ENDPOINT: 'http://mirror.local/' })).toBe('http://mirror.local');
  });

  it('a copied-in folder with a file missing is refused naming that file', async () => {
    const { dir, cleanup } = tempDir();
    const { writeTinyClip } = await import('../../../native-models/generate-tiny');
    const folder = writeTinyClip(path.join(dir, 'my-clip'));
    rmSync(path.join(folder, 'onnx', 'text_model.onnx'));
    await expect(ClipEncoder.load({ folder, providers: fakeProviders() })).rejects.toThrow(
      new RegExp(
        `folder is incomplete.*${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*onnx/text_model.onnx`,
      ),
    );
    cleanup();
  });
});

describe('transformers.js configuration', () => {
  it('never lets the library reach the network', async () => {
    const t = await transformers();
    configureTransformers(t, '/tmp/ws');
    expect(t.env.allowRemoteModels).toBe(false);
    expect(t.env.useFSCache).toBe(false);
    expect(t.env.localModelPath).toBe(`${path.join('/tmp/ws', 'models')}${path.sep}`);
    await expect(t.env.fetch('https://huggingface.co/x')).rejects.toThrow(/network access is disabled/);
    // A hub id that is not a local folder fails without any request.
    await expect(t.AutoTokenizer.from_pretrained('Xenova/clip-vit-base-patch32')).rejects.toThrow();
  });
});

describe('provider fallback', () => {
  it('asked for cuda on a machine without it: runs on cpu and says why', async () => {
    const registry = fakeProviders([]); // the cuda probe fails
    registry.setPreferred('cuda');
    const enc = await ClipEncoder.load({ folder: models.dirs.clip, providers: registry });
    expect(enc.device).toBe('cpu');
    expect(enc.fallbackReason).toMatch(/cuda: cuda is not available/);
    await enc.dispose();
  });

  it('cuda probes fine but the model cannot run there: reloads on cpu and records it', async () => {
    const registry = fakeProviders(['cuda']); // probe passes; the real session creation will not
    registry.setPreferred('cuda');
    expect(await registry.active()).toBe('cuda');
    const enc = await ClipEncoder.load({ folder: models.dirs.clip, providers: registry });
    expect(enc.device).toBe('cpu');
    expect(enc.fallbackReason).toMatch(/cuda failed at session creation/);
    expect(registry.current()).toMatchObject({
      active: 'cpu',
      fallbackReason: expect.stringMatching(/cuda/),
    });
    const [row] = await enc.embedTexts(['a dog']);
    expect(row).toHaveLength(8);
    await enc.dispose();
  });
});
