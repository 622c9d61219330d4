// Image captioners through transformers.js: VisionEncoderDecoder models (ViT-GPT2,
// DistilViT) with beam search run here over the library's encoder/decoder forward (the
// library's generate() is greedy whatever num_beams says), and Florence-2 through the
// library's own generate with the '<CAPTION>' task prompt.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PreTrainedModel, PreTrainedTokenizer, RawImage, Tensor } from '@huggingface/transformers';
import { providers as defaultProviders, type ProviderRegistry } from '../compute/providers';
import { beamSearch } from './beam-search';
import { loadOnDevice, type TransformersDevice } from './device';
import { toRawImages, type ImageInput } from './image-input';
import { runtimeOfConfig, type ModelDtype } from './model-files';
import { checkModelFolder } from './model-store';
import { transformers, type Transformers } from './transformers-env';

export interface CaptionerLoadOptions {
  folder: string;
  dtype?: ModelDtype;
  workspace?: string;
  providers?: ProviderRegistry;
}

export interface CaptionOptions {
  /** Beams (TL;DR's caption refinement: 3). 1 = greedy. */
  numBeams?: number;
  /** Maximum new tokens (TL;DR: 30). */
  maxNewTokens?: number;
  /** Minimum new tokens before eos is allowed (TL;DR: 10). */
  minNewTokens?: number;
  lengthPenalty?: number;
  signal?: AbortSignal;
  /** Called after each image with the number done. */
  onImage?: (done: number, total: number) => void;
}

export const TLDR_CAPTION_OPTIONS = { numBeams: 3, maxNewTokens: 30, minNewTokens: 10 };

type ResolvedCaptionOptions = CaptionOptions & typeof TLDR_CAPTION_OPTIONS;

type Forward = (inputs: Record<string, unknown>) => Promise<Record<string, Tensor>>;
type Processor = (images: unknown, text?: string) => Promise<Record<string, Tensor>>;
type Loose = Record<string, unknown>;

function ids(v: unknown): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v.filter((x): x is number => typeof x === 'number');
  return [];
}

function gatherRows(t: Transformers, x: Tensor, rows: readonly number[]): Tensor {
  const [n, ...rest] = x.dims as number[];
  const per = rest.reduce((a, b) => a * b, 1);
  const data = x.data as Float32Array;
  if (rows.length === n && rows.every((r, i) => r === i)) return x;
  const out = new (data.constructor as { new (len: number): Float32Array })(rows.length * per);
  rows.forEach((r, i) => out.set(data.subarray(r * per, (r + 1) * per), i * per));
  return new t.Tensor(x.type, out, [rows.length, ...rest]);
}

export class Captioner {
  private constructor(
    private readonly t: Transformers,
    readonly runtime: 'vision-encoder-decoder' | 'florence2',
    readonly folder: string,
    readonly device: TransformersDevice,
    readonly fallbackReason: string | undefined,
    private readonly model: PreTrainedModel,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly processor: Processor,
    private readonly config: Loose,
  ) {}

  static async load(opts: CaptionerLoadOptions): Promise<Captioner> {
    const folder = path.resolve(opts.folder);
    const dtype = opts.dtype ?? 'fp32';
    const config = JSON.parse(readFileSync(path.join(folder, 'config.json'), 'utf8')) as Loose;
    const runtime = runtimeOfConfig(config);
    if (runtime !== 'vision-encoder-decoder' && runtime !== 'florence2') {
      throw new Error(
        `${folder}: config.json model_type "${String(config.model_type)}" is not a supported captioner`,
      );
    }
    checkModelFolder(folder, runtime, dtype);
    const t = await transformers(opts.workspace);
    const loaded = await loadOnDevice(async (device, session_options) => {
      const options = { device, dtype, session_options };
      if (runtime === 'florence2') {
        const [model, processor] = await Promise.all([
          t.Florence2ForConditionalGeneration.from_pretrained(folder, options),
          t.AutoProcessor.from_pretrained(folder),
        ]);
        const tokenizer = (processor as unknown as { tokenizer: PreTrainedTokenizer }).tokenizer;
        return { model: model as PreTrainedModel, tokenizer, processor: processor as unknown as Processor };
      }
      // The image-to-text pipeline: the same loading as `pipeline('image-to-text', folder)`.
      const pipe = await t.pipeline('image-to-text', folder, options);
      return {
        model: pipe.model,
        tokenizer: pipe.tokenizer,
        processor: pipe.processor as unknown as Processor,
      };
    }, opts.providers ?? defaultProviders);
    const { model, tokenizer, processor } = loaded.value;
    return new Captioner(
      t,
      runtime,
      folder,
      loaded.device,
      loaded.fallbackReason,
      model,
      tokenizer,
      processor,
      config,
    );
  }

  /** One caption per image. */
  async caption(images: readonly ImageInput[], opts: CaptionOptions = {}): Promise<string[]> {
    const o: ResolvedCaptionOptions = {
      ...opts,
      numBeams: opts.numBeams ?? TLDR_CAPTION_OPTIONS.numBeams,
      maxNewTokens: opts.maxNewTokens ?? TLDR_CAPTION_OPTIONS.maxNewTokens,
      minNewTokens: opts.minNewTokens ?? TLDR_CAPTION_OPTIONS.minNewTokens,
    };
    const raw = await toRawImages(this.t, images);
    const out: string[] = [];
    for (const image of raw) {
      o.signal?.throwIfAborted();
      out.push(
        this.runtime === 'florence2' ? await this.florence(image, o) : await this.encoderDecoder(image, o),
      );
      o.onImage?.(out.length, raw.length);
    }
    return out;
  }

  private generationValue(key: string): unknown {
    const gen = (this.model as unknown as { generation_config?: Loose }).generation_config ?? {};
    const decoder = (this.config.decoder ?? {}) as Loose;
    return gen[key] ?? this.config[key] ?? decoder[key];
  }

  private async encoderDecoder(image: RawImage, o: ResolvedCaptionOptions): Promise<string> {
    const { pixel_values } = await this.processor([image]);
    const sessions = (
      this.model as unknown as {
        sessions: Record<string, { run(f: Loose): Promise<Loose>; inputNames: string[] }>;
      }
    ).sessions;
    const encoder = sessions.model!;
    const feeds: Loose = {};
    for (const name of encoder.inputNames) {
      if (name !== 'pixel_values') throw new Error(`encoder input ${name} is not supported`);
      feeds[name] = (pixel_values as unknown as { ort_tensor: unknown }).ort_tensor;
    }
    const encOut = await encoder.run(feeds);
    const enc0 = new this.t.Tensor(encOut.last_hidden_state as never);
    const start = ids(this.generationValue('decoder_start_token_id'));
    const bos = ids(this.generationValue('bos_token_id'));
    const eos = ids(this.generationValue('eos_token_id'));
    if (start.length === 0 && bos.length === 0)
      throw new Error('config has no decoder_start_token_id / bos_token_id');

    const forward = (this.model as unknown as { forward: Forward }).forward.bind(this.model);
    let past: Record<string, Tensor> = {};
    let enc = enc0;
    const result = await beamSearch(
      async ({ tokens, parents, step }) => {
        if (step > 0) {
          past = Object.fromEntries(
            Object.entries(past).map(([k, v]) => [k, gatherRows(this.t, v, parents)]),
          );
          if (enc.dims[0] !== tokens.length)
            enc = gatherRows(
              this.t,
              enc0,
              tokens.map(() => 0),
            );
        }
        const decoder_input_ids = new this.t.Tensor('int64', BigInt64Array.from(tokens.map(BigInt)), [
          tokens.length,
          1,
        ]);
        const res = await forward({
          encoder_outputs: enc,
          decoder_input_ids,
          past_key_values: step > 0 ? past : undefined,
        });
        const next: Record<string, Tensor> = {};
        for (const [name, value] of Object.entries(res)) {
          if (!name.startsWith('present')) continue;
          const key = name.replace('present', 'past_key_values');
          // Cross-attention caches are constant after the first step (optimum's merged decoders
          // return placeholders for them then).
          next[key] = step > 0 && name.includes('encoder') && past[key] ? past[key]! : value;
        }
        past = next;
        const logits = res.logits!;
        const f = logits.type === 'float32' ? logits : logits.to('float32');
        const [rows, seq, vocab] = f.dims as [number, number, number];
        const data = f.data as Float32Array;
        return Array.from({ length: rows }, (_, r) =>
          data.subarray((r * seq + seq - 1) * vocab, (r * seq + seq) * vocab),
        );
      },
      {
        startTokens: start.length ? start : bos,
        eosTokenIds: eos,
        numBeams: o.numBeams,
        maxNewTokens: o.maxNewTokens,
        minNewTokens: o.minNewTokens,
        lengthPenalty: o.lengthPenalty,
        signal: o.signal,
      },
    );
    const decode = (this.tokenizer as unknown as { decode(ids: number[], o: Loose): string }).decode.bind(
      this.tokenizer,
    );
    return decode(result.tokens, { skip_special_tokens: true }).trim();
  }

  private async florence(image: RawImage, o: ResolvedCaptionOptions): Promise<string> {
    const task = '<CAPTION>';
    const inputs = await this.processor(image, task);
    // Greedy: transformers.js does not implement beam search for this model either.
    const generated = await (this.model as unknown as { generate(a: Loose): Promise<Tensor> }).generate({
      ...inputs,
      max_new_tokens: o.maxNewTokens,
      min_new_tokens: o.minNewTokens,
    });
    const p = this.processor as unknown as {
      batch_decode(t: Tensor, o: Loose): string[];
      post_process_generation(text: string, task: string, size: [number, number]): Record<string, unknown>;
    };
    const text = p.batch_decode(generated, { skip_special_tokens: false })[0] ?? '';
    const parsed = p.post_process_generation(text, task, image.size as [number, number]);
    return String(parsed[task] ?? text).trim();
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
