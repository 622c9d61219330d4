// The mixed images themselves, as webdataset shards: for each batch of the recipe both
// images are decoded once at the training size (the same cover crop as the saliency
// grid), the source window's pixels are pasted over the target window, and the result is
// encoded; <key>.jpg, <key>.json {captions, weights, sources}, <key>.txt go to the tar.
// Decodes and encodes run in libuv's pool a few at a time, and the next batch is
// decoded while the current one is encoded and written.
import sharp from 'sharp';
import { forEachPool } from '../demo/pool';
import { decodeImage } from '../image/decode';
import { ImageError } from '../image/errors';
import { windowToTrainingPixels } from './geometry';
import { MIX_GRID } from './mixing';
import { pasteWindow } from './paste';
import type { RecipeBatch, RecipePair, RecipeSample } from './recipe';
import { ShardWriter, type ShardInfo } from './shard-writer';

export type MixedImageFormat = 'jpg' | 'png' | 'webp';

export interface MaterializeOptions {
  /** Side of the square training image in pixels, a multiple of the grid (default 224). */
  size?: number;
  format?: MixedImageFormat;
  /** JPEG / WebP quality (default 90). */
  quality?: number;
  samplesPerShard?: number;
  /** Decodes (and encodes) in flight per batch (default 4). */
  concurrency?: number;
  /** Batches in flight: the next is decoded while the current is written (default 2). */
  depth?: number;
  mtime?: Date;
  signal?: AbortSignal;
}

/** The encoded bytes of a pair's image. */
export type LoadImage = (pair: RecipePair) => Promise<Uint8Array>;

export interface MaterializeStats {
  size: number;
  format: MixedImageFormat;
  /** Mixed samples written. */
  written: number;
  /** Mixed samples left out because one of their images failed, by error kind. */
  failed: Record<string, number>;
  shards: ShardInfo[];
}

export interface RenderedSample {
  sample: RecipeSample;
  /** The encoded mixed image, or why it could not be made. */
  image: Uint8Array | ImageError;
}

const DEFAULT_SIZE = 224;

function asImageError(e: unknown): ImageError {
  return e instanceof ImageError ? e : new ImageError('corrupt_image', String(e));
}

/** Encodes size × size RGB8 pixels. */
export async function encodeRgb(
  rgb: Uint8Array,
  size: number,
  format: MixedImageFormat,
  quality = 90,
): Promise<Buffer> {
  const img = sharp(rgb, { raw: { width: size, height: size, channels: 3 } });
  if (format === 'png') return img.png().toBuffer();
  if (format === 'webp') return img.webp({ quality }).toBuffer();
  return img.jpeg({ quality }).toBuffer();
}

/** Decodes a pair's image at the training size: the centred square the saliency grid covers. */
export async function decodeForMix(bytes: Uint8Array, size: number): Promise<Uint8Array> {
  return (await decodeImage(bytes, { fit: { width: size, height: size, mode: 'cover' } })).data;
}

/** The raw mixed pixels of one sample, from both decoded images. Pure. */
export function mixSample(
  sample: RecipeSample,
  target: Uint8Array,
  source: Uint8Array,
  size: number,
): Uint8Array {
  return pasteWindow(
    target,
    source,
    size,
    windowToTrainingPixels(sample.target.window, size, MIX_GRID),
    windowToTrainingPixels(sample.source.window, size, MIX_GRID),
  );
}

/** Decodes a batch's images once each, mixes and encodes every sample. Never rejects but on abort. */
export async function renderBatch(
  batch: RecipeBatch,
  load: LoadImage,
  opts: MaterializeOptions = {},
): Promise<RenderedSample[]> {
  const size = opts.size ?? DEFAULT_SIZE;
  const format = opts.format ?? 'jpg';
  const limit = opts.concurrency ?? 4;
  // Every member of the batch is the target of exactly one sample.
  const pixels = new Array<Uint8Array | ImageError>(batch.samples.length);
  const bySeq = new Map<number, number>();
  batch.samples.forEach((s, i) => bySeq.set(s.target.seq, i));
  await forEachPool(
    batch.samples,
    limit,
    async (s, i) => {
      try {
        pixels[i] = await decodeForMix(await load(s.target), size);
      } catch (e) {
        pixels[i] = asImageError(e);
      }
    },
    opts.signal,
  );
  const out = new Array<RenderedSample>(batch.samples.length);
  await forEachPool(
    batch.samples,
    limit,
    async (s, i) => {
      const t = pixels[i]!;
      const si = bySeq.get(s.source.seq);
      const src = si === undefined ? new ImageError('missing_image', 'source not in its batch') : pixels[si]!;
      if (t instanceof ImageError || src instanceof ImageError) {
        out[i] = { sample: s, image: t instanceof ImageError ? t : (src as ImageError) };
        return;
      }
      try {
        out[i] = {
          sample: s,
          image: await encodeRgb(mixSample(s, t, src, size), size, format, opts.quality),
        };
      } catch (e) {
        out[i] = { sample: s, image: asImageError(e) };
      }
    },
    opts.signal,
  );
  return out;
}

/** The <key>.json member: what a trainer needs to build the soft label. */
export function sampleMeta(s: RecipeSample): Record<string, unknown> {
  const src = (p: RecipeSample['target']) => ({ seq: p.seq, key: p.key, image: p.image, window: p.window });
  return {
    key: s.key,
    captions: [s.target.caption, s.source.caption],
    weights: s.weights,
    s: s.s,
    lambda: s.lambda,
    selfMix: s.selfMix,
    sources: [src(s.target), src(s.source)],
  };
}

/**
 * The <key>.txt member, for trainers that read one caption: the caption with the larger
 * weight (the target's on a tie). The soft label is in the .json.
 */
export function dominantCaption(s: RecipeSample): string {
  return s.weights[1] > s.weights[0] ? s.source.caption : s.target.caption;
}

export class Materializer {
  private readonly shards: ShardWriter;
  private readonly inflight: Promise<RenderedSample[]>[] = [];
  private readonly size: number;
  private readonly format: MixedImageFormat;
  private readonly depth: number;
  private written = 0;
  private readonly failed: Record<string, number> = {};

  constructor(
    dir: string,
    private readonly load: LoadImage,
    private readonly opts: MaterializeOptions = {},
  ) {
    this.size = opts.size ?? DEFAULT_SIZE;
    this.format = opts.format ?? 'jpg';
    this.depth = Math.max(1, opts.depth ?? 2);
    if (!Number.isInteger(this.size / MIX_GRID) || this.size < MIX_GRID)
      throw new RangeError(`training size ${this.size} is not a positive multiple of ${MIX_GRID}`);
    this.shards = new ShardWriter(dir, {
      ...(opts.samplesPerShard !== undefined ? { samplesPerShard: opts.samplesPerShard } : {}),
      ...(opts.mtime ? { mtime: opts.mtime } : {}),
    });
  }

  /** Queues a batch; waits while `depth` batches are already being rendered. */
  async add(batch: RecipeBatch): Promise<void> {
    const p = renderBatch(batch, this.load, this.opts);
    p.catch(() => undefined); // awaited in order below; not unhandled meanwhile
    this.inflight.push(p);
    if (this.inflight.length >= this.depth) await this.writeOldest();
  }

  private async writeOldest(): Promise<void> {
    const rendered = await this.inflight.shift()!;
    const ext = `.${this.format}`;
    for (const r of rendered) {
      if (r.image instanceof ImageError) {
        this.failed[r.image.kind] = (this.failed[r.image.kind] ?? 0) + 1;
        continue;
      }
      await this.shards.add(r.sample.key, [
        { ext, data: r.image },
        { ext: '.json', data: Buffer.from(JSON.stringify(sampleMeta(r.sample))) },
        { ext: '.txt', data: Buffer.from(dominantCaption(r.sample)) },
      ]);
      this.written++;
    }
  }

  async close(): Promise<MaterializeStats> {
    while (this.inflight.length > 0) await this.writeOldest();
    const shards = await this.shards.close();
    return {
      size: this.size,
      format: this.format,
      written: this.written,
      failed: { ...this.failed },
      shards,
    };
  }

  destroy(): void {
    this.shards.destroy();
  }
}
