// CLIP-family dual encoders (CLIP, SigLIP) through transformers.js: image and text
// embeddings (L2-normalised rows) for alignment scores, and per-image patch tokens for
// the TL;DR codebook and TiMix saliency.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { PreTrainedModel, PreTrainedTokenizer, Tensor } from '@huggingface/transformers';
import { SessionCache } from '../compute/sessions';
import { providers as defaultProviders, type ProviderRegistry } from '../compute/providers';
import { loadOnDevice, type TransformersDevice } from './device';
import { toRawImages, type ImageInput } from './image-input';
import { onnxFile, runtimeOfConfig, type ModelDtype } from './model-files';
import { checkModelFolder } from './model-store';
import { normalizeRowsInPlace, splitRows } from './rows';
import { transformers, type Transformers } from './transformers-env';
import { extractProjectionHead } from './vision-head';

export type EncoderFamily = 'clip' | 'siglip';

export interface EncoderLoadOptions {
  /** A model folder (see native-models/README.md for the layout). */
  folder: string;
  dtype?: ModelDtype;
  /** Workspace the transformers.js paths point into (optional). */
  workspace?: string;
  providers?: ProviderRegistry;
}

export interface BatchOptions {
  /** Images or texts per forward pass (default 16). */
  batchSize?: number;
  signal?: AbortSignal;
}

export interface PatchTokens {
  /** Patch grid [rows, cols]; count = rows·cols (the CLS token is not included). */
  grid: [number, number];
  count: number;
  /** Width of the vision tokens. */
  dim: number;
  /** count × dim, row-major: the last hidden state of each patch. */
  tokens: Float32Array;
  /** Width of the joint embedding space, when projected tokens are available. */
  projectedDim: number | null;
  /**
   * count × projectedDim: each patch through the vision post-LayerNorm and projection,
   * i.e. in the space of the text embeddings (not normalised). Null when the model's head
   * cannot be applied per patch (see ClipEncoder.projectionUnavailable).
   */
  projected: Float32Array | null;
}

type ImageProcessor = (images: unknown) => Promise<{ pixel_values: Tensor }>;
type Tokenize = (texts: string[], opts: Record<string, unknown>) => Record<string, Tensor>;
type Forward = (inputs: Record<string, Tensor>) => Promise<Record<string, Tensor>>;

function floatData(t: Tensor): Float32Array {
  const f = t.type === 'float32' ? t : t.to('float32');
  return f.data as Float32Array;
}

export class ClipEncoder {
  private headSession: Promise<ort.InferenceSession | null> | undefined;
  private headReason: string | undefined;
  private readonly sessions: SessionCache;

  private constructor(
    private readonly t: Transformers,
    readonly family: EncoderFamily,
    readonly folder: string,
    readonly dtype: ModelDtype,
    readonly embeddingDim: number,
    readonly patchGrid: [number, number],
    readonly textMaxLength: number,
    readonly device: TransformersDevice,
    readonly fallbackReason: string | undefined,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly processor: ImageProcessor,
    private readonly textModel: PreTrainedModel,
    private readonly visionModel: PreTrainedModel,
    registry: ProviderRegistry,
  ) {
    this.sessions = new SessionCache(registry);
  }

  static async load(opts: EncoderLoadOptions): Promise<ClipEncoder> {
    const folder = path.resolve(opts.folder);
    const dtype = opts.dtype ?? 'fp32';
    const config = JSON.parse(readFileSync(path.join(folder, 'config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const family = runtimeOfConfig(config);
    if (family !== 'clip' && family !== 'siglip') {
      throw new Error(
        `${folder}: config.json model_type "${String(config.model_type)}" is not a CLIP-family encoder`,
      );
    }
    checkModelFolder(folder, family, dtype);
    const t = await transformers(opts.workspace);
    const registry = opts.providers ?? defaultProviders;
    const [tokenizer, processor] = await Promise.all([
      t.AutoTokenizer.from_pretrained(folder),
      t.AutoImageProcessor.from_pretrained(folder),
    ]);
    const { TextModel, VisionModel } =
      family === 'clip'
        ? { TextModel: t.CLIPTextModelWithProjection, VisionModel: t.CLIPVisionModelWithProjection }
        : { TextModel: t.SiglipTextModel, VisionModel: t.SiglipVisionModel };
    const loaded = await loadOnDevice(async (device, session_options) => {
      const options = { device, dtype, session_options };
      const [text, vision] = await Promise.all([
        TextModel.from_pretrained(folder, options),
        VisionModel.from_pretrained(folder, options),
      ]);
      return { text, vision };
    }, registry);

    const vc = (config.vision_config ?? {}) as Record<string, number | undefined>;
    const tc = (config.text_config ?? {}) as Record<string, number | undefined>;
    // config.json leaves out values equal to the class defaults (CLIP: 224/32, SigLIP: 224/16).
    const side = Math.floor((vc.image_size ?? 224) / (vc.patch_size ?? (family === 'clip' ? 32 : 16)));
    const embeddingDim =
      family === 'clip'
        ? Number(config.projection_dim ?? tc.projection_dim ?? 512)
        : Number(tc.hidden_size ?? 768);
    return new ClipEncoder(
      t,
      family,
      folder,
      dtype,
      embeddingDim,
      [side, side],
      tc.max_position_embeddings ?? (family === 'clip' ? 77 : 64),
      loaded.device,
      loaded.fallbackReason,
      tokenizer,
      processor as unknown as ImageProcessor,
      loaded.value.text,
      loaded.value.vision,
      registry,
    );
  }

  /** Why projected patch tokens are not available (undefined until patchTokens runs, or when they are). */
  get projectionUnavailable(): string | undefined {
    return this.headReason;
  }

  private async runVision(images: readonly ImageInput[]): Promise<Record<string, Tensor>> {
    const raw = await toRawImages(this.t, images);
    const { pixel_values } = await this.processor(raw);
    return (this.visionModel as unknown as Forward)({ pixel_values });
  }

  private async *batches<T>(items: readonly T[], opts: BatchOptions): AsyncGenerator<readonly T[]> {
    const size = Math.max(1, opts.batchSize ?? 16);
    for (let i = 0; i < items.length; i += size) {
      opts.signal?.throwIfAborted();
      yield items.slice(i, i + size);
    }
  }

  private pooledImage(out: Record<string, Tensor>): Tensor {
    const t = this.family === 'clip' ? out.image_embeds : out.pooler_output;
    if (!t)
      throw new Error(
        `vision model gave no ${this.family === 'clip' ? 'image_embeds' : 'pooler_output'} output`,
      );
    return t;
  }

  /** One L2-normalised embedding per image. */
  async embedImages(images: readonly ImageInput[], opts: BatchOptions = {}): Promise<Float32Array[]> {
    const rows: Float32Array[] = [];
    for await (const batch of this.batches(images, opts)) {
      const pooled = this.pooledImage(await this.runVision(batch));
      const dim = pooled.dims.at(-1)!;
      rows.push(...splitRows(normalizeRowsInPlace(floatData(pooled).slice(), dim), batch.length, dim));
    }
    return rows;
  }

  /** One L2-normalised embedding per text (truncated to the model's text length). */
  async embedTexts(texts: readonly string[], opts: BatchOptions = {}): Promise<Float32Array[]> {
    const rows: Float32Array[] = [];
    // SigLIP was trained on texts padded to max_length and pools the last position.
    const padding = this.family === 'siglip' ? 'max_length' : true;
    for await (const batch of this.batches(texts, opts)) {
      const inputs = (this.tokenizer as unknown as Tokenize)([...batch], {
        padding,
        truncation: true,
        max_length: this.textMaxLength,
      });
      const out = await (this.textModel as unknown as Forward)(inputs);
      const pooled = this.family === 'clip' ? out.text_embeds : out.pooler_output;
      if (!pooled) throw new Error('text model gave no pooled output');
      const dim = pooled.dims.at(-1)!;
      rows.push(...splitRows(normalizeRowsInPlace(floatData(pooled).slice(), dim), batch.length, dim));
    }
    return rows;
  }

  private head(): Promise<ort.InferenceSession | null> {
    this.headSession ??= (async () => {
      if (this.family !== 'clip') {
        this.headReason = 'SigLIP pools with an attention head, which has no per-patch form';
        return null;
      }
      const file = path.join(this.folder, ...onnxFile('vision_model', this.dtype).split('/'));
      const result = extractProjectionHead(readFileSync(file));
      if (!result.ok) {
        this.headReason = `cannot apply the projection head per patch: ${result.reason}`;
        return null;
      }
      return this.sessions.get(`vision-head:${file}`, () => result.head.model);
    })();
    return this.headSession;
  }

  /** Patch tokens (CLS removed) and, for CLIP, the same tokens projected into the joint space. */
  async patchTokens(images: readonly ImageInput[], opts: BatchOptions = {}): Promise<PatchTokens[]> {
    const result: PatchTokens[] = [];
    const head = await this.head();
    let [gh, gw] = this.patchGrid;
    for await (const batch of this.batches(images, opts)) {
      const out = await this.runVision(batch);
      const hidden = out.last_hidden_state;
      if (!hidden || hidden.dims.length !== 3)
        throw new Error('vision model gave no [batch, tokens, dim] last_hidden_state');
      const [, seq, dim] = hidden.dims as [number, number, number];
      // A CLS token first when there is one more token than patches; a square grid otherwise
      // (when the config's sizes disagree with the graph, trust the graph).
      if (seq !== gh * gw && seq !== gh * gw + 1) {
        const side = [seq - 1, seq].map(Math.sqrt).find(Number.isInteger);
        if (!side) throw new Error(`cannot lay out ${seq} vision tokens as a square patch grid`);
        [gh, gw] = [side, side];
      }
      const count = gh * gw;
      const skip = seq - count;
      // Rows without the CLS token, kept in the model's own dtype for the head.
      const rawData = hidden.data as Float32Array | Uint16Array;
      const Ctor = rawData.constructor as { new (n: number): Float32Array | Uint16Array };
      const rows = new Ctor(batch.length * count * dim);
      for (let b = 0; b < batch.length; b++) {
        const from = (b * seq + skip) * dim;
        rows.set(rawData.subarray(from, from + count * dim), b * count * dim);
      }
      const rowTensor = new this.t.Tensor(hidden.type, rows, [batch.length * count, dim]);
      const tokens = floatData(rowTensor);
      let projected: Float32Array | null = null;
      let pdim: number | null = null;
      if (head) {
        const feed = new ort.Tensor(hidden.type as 'float32', rows as Float32Array, [
          batch.length * count,
          dim,
        ]);
        const res = await head.run({ rows: feed });
        const p = res.projected!;
        pdim = p.dims.at(-1)!;
        projected = floatData(new this.t.Tensor(p.type, p.data as Float32Array, [...p.dims]));
      }
      for (let b = 0; b < batch.length; b++) {
        result.push({
          grid: [gh, gw],
          count,
          dim,
          tokens: tokens.slice(b * count * dim, (b + 1) * count * dim),
          projectedDim: pdim,
          projected: projected && pdim ? projected.slice(b * count * pdim, (b + 1) * count * pdim) : null,
        });
      }
    }
    return result;
  }

  async dispose(): Promise<void> {
    await Promise.all([this.textModel.dispose(), this.visionModel.dispose(), this.sessions.dispose()]);
  }
}
