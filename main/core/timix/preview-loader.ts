// The TiMix preview for the UI: two chosen pairs, or a seeded random batch of a run or
// dataset, decoded at the training size, with their saliency, the mix and the images as
// base64 (WebP by default: small enough for the IPC/HTTP answer).
import type { CoreContext } from '../context';
import { createRng, sampleIndices, shuffleInPlace } from '../compute/prng';
import { INPUT_SIZE } from '../features/builtin/descriptors';
import { readImageBytes } from '../image/read-bytes';
import { UserInputError } from '../ingest/index-dataset';
import type { ClipEncoder } from '../models/clip-encoder';
import { getPairBySeq, type StoredPair } from '../store/pairs';
import { decodeForMix, encodeRgb } from './materialize';
import { DEFAULT_RATIO_RANGE, MIX_GRID } from './mixing';
import { previewMixes, previewSquareSize, type PreviewSample } from './preview';
import { isFlat } from './saliency';
import { openSaliencySource } from './saliency-source';
import { isMixable, resolveSubset, subsetSource, type SubsetRequest } from './subset';

export interface TimixPreviewRequest extends SubsetRequest {
  /** The pairs to mix (by seq), as one batch; without them, a random batch of the subset. */
  seqs?: number[] | undefined;
  /** Size of the random batch (default 8). */
  batchSize?: number | undefined;
  /** Picks the random batch and the square side: a new seed re-rolls both. */
  seed?: number | undefined;
  /** Force a square side instead of drawing one. */
  s?: number | undefined;
  ratioRange?: [number, number] | undefined;
  model?: string | undefined;
  /** Side of the training view in pixels (multiple of 16; default 224). */
  size?: number | undefined;
  format?: 'png' | 'webp' | undefined;
}

export interface TimixPreviewPair {
  seq: number;
  key: string;
  caption: string;
  /** MIX_GRID × MIX_GRID z-scored saliency, row-major. */
  saliency: number[];
  flat: boolean;
  /** The cover-cropped training view, base64. */
  image: string;
}

export interface TimixPreview {
  seed: number;
  s: number;
  lambda: number;
  size: number;
  grid: number;
  model: string;
  /** MIME type of the images. */
  mime: string;
  pairs: TimixPreviewPair[];
  samples: (Omit<PreviewSample, 'mixed'> & { image: string })[];
  /** Seqs left out (not on disk, no saliency, undecodable). */
  skipped: number[];
}

const round = (v: number) => Math.round(v * 1e4) / 1e4;

export async function loadTimixPreview(
  ctx: CoreContext,
  req: TimixPreviewRequest,
  encoder?: ClipEncoder,
): Promise<TimixPreview> {
  const seed = req.seed ?? 1;
  const size = req.size ?? INPUT_SIZE;
  const format = req.format ?? 'webp';
  if (!Number.isInteger(size / MIX_GRID) || size < MIX_GRID)
    throw new UserInputError(`size ${size} is not a positive multiple of ${MIX_GRID}`);
  let dataset;
  let seqs: number[];
  if (req.seqs && req.seqs.length > 0) {
    ({ dataset } = subsetSource(ctx, req));
    seqs = req.seqs;
  } else {
    const sub = resolveSubset(ctx, req);
    dataset = sub.dataset;
    const rng = createRng(seed);
    const pick = sampleIndices(sub.seqs.length, Math.max(1, req.batchSize ?? 8), rng);
    seqs = shuffleInPlace(
      Array.from(pick, (i) => sub.seqs[i]!),
      rng,
    );
  }
  if (new Set(seqs).size !== seqs.length) throw new UserInputError('the same pair twice in one batch');
  const s = req.s ?? previewSquareSize(seed, req.ratioRange ?? DEFAULT_RATIO_RANGE);
  if (!Number.isInteger(s) || s < 1 || s > MIX_GRID)
    throw new UserInputError(`square side ${s} outside 1…${MIX_GRID}`);

  const model = encoder ?? req.model ?? 'builtin';
  const source = await openSaliencySource(ctx, dataset, model);
  try {
    const skipped: number[] = [];
    const pairs: StoredPair[] = [];
    for (const seq of seqs) {
      const p = getPairBySeq(ctx.db, dataset.id, seq);
      if (isMixable(p)) pairs.push(p);
      else skipped.push(seq);
    }
    const maps = await source.maps(pairs);
    const kept: { pair: StoredPair; rgb: Uint8Array; saliency: Float32Array }[] = [];
    for (let i = 0; i < pairs.length; i++) {
      const p = pairs[i]!;
      const m = maps[i];
      try {
        if (!m) throw new Error('no saliency');
        kept.push({
          pair: p,
          rgb: await decodeForMix(await readImageBytes(dataset.root, p.image), size),
          saliency: m,
        });
      } catch {
        skipped.push(p.seq);
      }
    }
    const plan = previewMixes(
      kept.map((k) => ({ rgb: k.rgb, saliency: k.saliency })),
      size,
      s,
    );
    const b64 = async (rgb: Uint8Array) => (await encodeRgb(rgb, size, format, 85)).toString('base64');
    return {
      seed,
      s,
      lambda: plan.lambda,
      size,
      grid: MIX_GRID,
      model: source.model,
      mime: `image/${format}`,
      pairs: await Promise.all(
        kept.map(async (k) => ({
          seq: k.pair.seq,
          key: k.pair.key,
          caption: k.pair.caption ?? '',
          saliency: Array.from(k.saliency, round),
          flat: isFlat(k.saliency),
          image: await b64(k.rgb),
        })),
      ),
      samples: await Promise.all(
        plan.samples.map(async ({ mixed, ...rest }) => ({
          ...rest,
          targetWindow: { ...rest.targetWindow, sum: round(rest.targetWindow.sum) },
          sourceWindow: { ...rest.sourceWindow, sum: round(rest.sourceWindow.sum) },
          image: await b64(mixed),
        })),
      ),
      skipped,
    };
  } finally {
    await source.close();
  }
}
