import { describe, expect, it } from 'vitest';
import registryJson from '../../../native-models/registry.json';
import { requiredFiles } from '../../../main/core/models/model-files';
import { approxBytes, filesFor, getModel, loadRegistry } from '../../../main/core/models/registry';

describe('model registry', () => {
  it('validates the bundled registry', () => {
    const r = loadRegistry();
    expect(r.models.map((m) => m.id)).toEqual(
      expect.arrayContaining([
        'clip-vit-b32',
        'clip-vit-b16',
        'siglip-b16-224',
        'vit-gpt2-captioning',
        'distilvit-captioning',
      ]),
    );
    for (const m of r.models) {
      for (const d of m.dtypes) {
        const paths = filesFor(m, d).map((f) => f.path);
        expect(paths).toEqual(expect.arrayContaining(requiredFiles(m.runtime, d)));
      }
    }
  });

  it('records the patch grids and embedding sizes', () => {
    expect(getModel('clip-vit-b32')).toMatchObject({ patchGrid: [7, 7], embeddingDim: 512, imageSize: 224 });
    expect(getModel('clip-vit-b16')).toMatchObject({ patchGrid: [14, 14], embeddingDim: 512 });
    expect(getModel('siglip-b16-224')).toMatchObject({ patchGrid: [14, 14], embeddingDim: 768 });
  });

  it('selects the files of one dtype', () => {
    const m = getModel('clip-vit-b32');
    expect(filesFor(m, 'q8').map((f) => f.path)).toContain('onnx/vision_model_quantized.onnx');
    expect(filesFor(m, 'q8').map((f) => f.path)).not.toContain('onnx/vision_model.onnx');
    expect(() => filesFor(getModel('florence2-base-ft'), 'q8')).toThrow(/no q8 files/);
    expect(approxBytes(filesFor(m, 'fp32').find((f) => f.path === 'onnx/vision_model.onnx')!)).toBe(352e6);
  });

  it('rejects inconsistent registries', () => {
    const base = structuredClone(registryJson) as { version: number; models: Array<Record<string, unknown>> };
    const dup = structuredClone(base);
    dup.models.push(structuredClone(dup.models[0]!));
    expect(() => loadRegistry(dup)).toThrow(/duplicate model id/);

    const missing = structuredClone(base);
    missing.models[0]!.files = (missing.models[0]!.files as Array<{ path: string }>).filter(
      (f) => f.path !== 'onnx/text_model_fp16.onnx',
    );
    expect(() => loadRegistry(missing)).toThrow(/fp16 needs onnx\/text_model_fp16.onnx/);

    const badHash = structuredClone(base);
    (badHash.models[0]!.files as Array<{ sha256: string }>)[0]!.sha256 = 'abc';
    expect(() => loadRegistry(badHash)).toThrow(/invalid model registry/);
  });
});
