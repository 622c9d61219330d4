import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChecksumError, downloadFile, type TransferProgress } from '../../../main/core/models/download';
import { ensureModel, modelDir, type ModelDownloadProgress } from '../../../main/core/models/model-store';
import { openEncoder } from '../../../main/core/models/open-model';
import { loadRegistry, type ModelEntry } from '../../../main/core/models/registry';
import { tempDir } from '../../helpers/tmp';
import { folderFiles, sha256, startHub, type HubServer } from './_hub-server';
import { fakeProviders, norm, testImage, tinyModels } from './_helpers';

const REPO = 'tldr/tiny-clip';
let models: ReturnType<typeof tinyModels>;
let files: Map<string, Buffer>;
let hub: HubServer;
const big = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 2654435761) >>> 24));

function tinyEntry(overrides: Partial<Record<string, string>> = {}): ModelEntry {
  const entry = {
    id: 'tiny-clip',
    label: 'tiny CLIP (tests)',
    task: 'clip',
    runtime: 'clip',
    hubRepo: REPO,
    revision: 'main',
    licence: 'Apache-2.0',
    embeddingDim: 8,
    imageSize: 32,
    patchSize: 8,
    patchGrid: [4, 4],
    dtypes: ['fp32'],
    defaultDtype: 'fp32',
    files: [...files]
      .filter(([p]) => p !== 'big.bin')
      .map(([p, b]) => ({ path: p, size: b.length, sha256: overrides[p] ?? sha256(b) })),
  };
  return loadRegistry({ version: 1, models: [entry] }).models[0]!;
}

beforeAll(async () => {
  models = tinyModels();
  files = folderFiles(models.dirs.clip);
  files.set('big.bin', big);
  hub = await startHub(REPO, files);
});

afterAll(async () => {
  await hub.close();
  models.cleanup();
});

describe('downloadFile', () => {
  it('reports progress (bytes, total, rate, ETA) and verifies the sha256', async () => {
    const { dir, cleanup } = tempDir();
    const events: TransferProgress[] = [];
    const dest = path.join(dir, 'big.bin');
    const r = await downloadFile({
      url: `${hub.endpoint}/${REPO}/resolve/main/big.bin`,
      dest,
      sha256: sha256(big),
      onProgress: (p) => events.push(p),
      progressIntervalMs: 0,
    });
    expect(r).toEqual({ bytes: big.length, sha256: sha256(big), resumedFrom: 0 });
    expect(readFileSync(dest).equals(big)).toBe(true);
    expect(events.length).toBeGreaterThan(1);
    expect(events.at(-1)).toMatchObject({ bytes: big.length, total: big.length, etaSeconds: 0 });
    for (let i = 1; i < events.length; i++)
      expect(events[i]!.bytes).toBeGreaterThanOrEqual(events[i - 1]!.bytes);
    expect(events.at(-1)!.rate).toBeGreaterThan(0);
    cleanup();
  });

  it('resumes an interrupted transfer with an HTTP Range request', async () => {
    const { dir, cleanup } = tempDir();
    const dest = path.join(dir, 'big.bin');
    const url = `${hub.endpoint}/${REPO}/resolve/main/big.bin`;
    hub.interruptOnce.add('big.bin');
    await expect(downloadFile({ url, dest, sha256: sha256(big) })).rejects.toThrow();
    const partial = statSync(`${dest}.part`).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(big.length);
    expect(existsSync(dest)).toBe(false);

    const before = hub.requests.length;
    const r = await downloadFile({ url, dest, sha256: sha256(big) });
    expect(hub.requests[before]).toEqual({ path: 'big.bin', range: `bytes=${partial}-` });
    expect(r.resumedFrom).toBe(partial);
    expect(readFileSync(dest).equals(big)).toBe(true);
    expect(existsSync(`${dest}.part`)).toBe(false);
    cleanup();
  });

  it('removes a file whose checksum does not match', async () => {
    const { dir, cleanup } = tempDir();
    const dest = path.join(dir, 'big.bin');
    const wrong = 'f'.repeat(64);
    const err = await downloadFile({
      url: `${hub.endpoint}/${REPO}/resolve/main/big.bin`,
      dest,
      sha256: wrong,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChecksumError);
    expect((err as ChecksumError).message).toMatch(/expected sha256 f{64}, got [0-9a-f]{64}/);
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.part`)).toBe(false);
    cleanup();
  });
});

describe('ensureModel + loader (download into the workspace)', () => {
  it('downloads a registry model on request and loads it through the folder loader', async () => {
    const { dir: workspace, cleanup } = tempDir();
    const entry = tinyEntry();
    const events: ModelDownloadProgress[] = [];
    hub.interruptOnce.add('onnx/vision_model.onnx');
    // The first attempt is cut mid-file: refused, with the folder and what is missing.
    await expect(
      ensureModel(entry, { workspace, download: true, offline: false, endpoint: hub.endpoint }),
    ).rejects.toThrow(
      new RegExp(
        `download failed.*Put these files in ${escape(modelDir(workspace, 'tiny-clip'))}.*onnx/vision_model.onnx`,
        's',
      ),
    );
    // The second resumes it.
    const folder = await ensureModel(entry, {
      workspace,
      download: true,
      offline: false,
      endpoint: hub.endpoint,
      onProgress: (p) => events.push(p),
    });
    expect(folder).toBe(modelDir(workspace, 'tiny-clip'));
    expect(hub.requests.some((r) => r.path === 'onnx/vision_model.onnx' && r.range)).toBe(true);
    expect(new Set(events.map((e) => e.file)).size).toBeGreaterThan(0);
    expect(events.every((e) => e.modelId === 'tiny-clip' && e.fileCount > 0)).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(folder, 'tldr-download.json'), 'utf8')) as {
      files: Array<{ verified: boolean }>;
    };
    expect(manifest.files.every((f) => f.verified)).toBe(true);

    // Nothing missing now: loads offline, through the same code path as a copied-in folder.
    const enc = await openEncoder(
      { id: 'tiny-clip' },
      {
        workspace,
        offline: true,
        registry: loadRegistry({ version: 1, models: [entry] }),
        providers: fakeProviders(),
      },
    );
    const [row] = await enc.embedImages([testImage(9)]);
    expect(norm(row!)).toBeCloseTo(1, 5);
    await enc.dispose();
    cleanup();
  });

  it('a checksum mismatch fails the download and leaves no bad file', async () => {
    const { dir: workspace, cleanup } = tempDir();
    const entry = tinyEntry({ 'onnx/text_model.onnx': '0'.repeat(64) });
    const err = await ensureModel(entry, {
      workspace,
      download: true,
      offline: false,
      endpoint: hub.endpoint,
    }).catch((e: unknown) => e);
    expect(String(err)).toMatch(/checksum mismatch for text_model.onnx/);
    expect(String(err)).toMatch(/onnx\/text_model.onnx/);
    const folder = modelDir(workspace, 'tiny-clip');
    expect(existsSync(path.join(folder, 'onnx', 'text_model.onnx'))).toBe(false);
    expect(existsSync(path.join(folder, 'onnx', 'text_model.onnx.part'))).toBe(false);
    cleanup();
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
