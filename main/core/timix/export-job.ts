// `tldr-studio timix`: the TiMix export as a job. Resolves the subset, computes saliency
// batch by batch, streams recipe.json, optionally renders the mixed images into
// webdataset shards, and writes manifest.json; all under a temporary folder renamed to
// the requested one at the end (never overwriting).
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CoreContext } from '../context';
import { datasetBaseDir } from '../dataset/base-dir';
import { INPUT_SIZE } from '../features/builtin/descriptors';
import { probeImage } from '../image/probe';
import { readImageBytes } from '../image/read-bytes';
import { UserInputError } from '../ingest/index-dataset';
import type { JobContext, JobRecord } from '../jobs/runner';
import { getPairBySeq, type StoredPair } from '../store/pairs';
import { APP_VERSION } from '../version';
import {
  Materializer,
  type MaterializeOptions,
  type MaterializeStats,
  type MixedImageFormat,
} from './materialize';
import { DEFAULT_RATIO_RANGE, MIX_GRID, squareSizes } from './mixing';
import { stageOutputFolder } from './output-folder';
import {
  batchesOf,
  buildRecipeBatch,
  RECIPE_FORMAT,
  RECIPE_VERSION,
  shuffledOrder,
  squareSizeDrawer,
  type RecipePair,
} from './recipe';
import { RecipeWriter } from './recipe-writer';
import { isFlat } from './saliency';
import { openSaliencySource } from './saliency-source';
import { AUTHORS_SCHEDULE, describeSchedule, type TimixSchedule } from './schedule';
import { isMixable, resolveSubset, subsetSource, type SubsetRequest } from './subset';

export const TIMIX_MANIFEST_FORMAT = 'tldr-studio-timix';
export const DEFAULT_BATCH_SIZE = 64;

export interface TimixExportRequest extends SubsetRequest {
  /** New folder for the export (must not exist). */
  out: string;
  /** Saliency model: 'builtin' (default), a CLIP-family registry id, or a model folder. */
  model?: string | undefined;
  /** Pairs per training batch; mixing happens inside a batch. */
  batchSize?: number | undefined;
  seed?: number | undefined;
  /** Square side as a fraction of the grid, [min, max] (authors: [0.35, 0.75]). */
  ratioRange?: [number, number] | undefined;
  schedule?: TimixSchedule | undefined;
  /** Also render the mixed images as webdataset shards. */
  materialize?: boolean | undefined;
  /** Training size (multiple of 16, default 224), image format, quality, samples per shard. */
  images?: Pick<MaterializeOptions, 'size' | 'format' | 'quality' | 'samplesPerShard'> | undefined;
}

export interface TimixExportResult {
  folder: string;
  manifest: string;
  recipe: string;
  datasetId: number;
  runId: number | null;
  model: string;
  /** Pairs in the subset. */
  pairs: number;
  /** Mixed samples in the recipe (one per pair mixed). */
  samples: number;
  batches: number;
  /** Pairs left out, by reason (no image, no saliency, unreadable size). */
  skipped: Record<string, number>;
  /** Pairs whose saliency was flat (no caption word known to the model): windows chosen by the centre rule. */
  flatSaliency: number;
  selfMixed: number;
  images?: MaterializeStats;
  seconds: number;
}

function bump(m: Record<string, number>, k: string, n = 1): void {
  m[k] = (m[k] ?? 0) + n;
}

/** Original size (as the index has it; probed when the index has none). */
async function pairSize(root: string, p: StoredPair): Promise<{ width: number; height: number } | null> {
  if (p.width && p.height) return { width: p.width, height: p.height };
  try {
    const probe = await probeImage(await readImageBytes(root, p.image));
    return { width: probe.displayWidth, height: probe.displayHeight };
  } catch {
    return null;
  }
}

function checkRequest(req: TimixExportRequest): void {
  const b = req.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(b) || b < 1)
    throw new UserInputError(`batch size must be a positive integer, got ${b}`);
  try {
    squareSizes(req.ratioRange ?? DEFAULT_RATIO_RANGE);
  } catch (e) {
    throw new UserInputError((e as Error).message);
  }
  const size = req.images?.size ?? INPUT_SIZE;
  if (!Number.isInteger(size / MIX_GRID) || size < MIX_GRID)
    throw new UserInputError(`image size ${size} is not a positive multiple of ${MIX_GRID}`);
  if (existsSync(path.resolve(req.out)))
    throw new UserInputError(
      `${path.resolve(req.out)} exists: choose a new folder (exports never overwrite)`,
    );
}

export async function runTimixExport(
  ctx: CoreContext,
  jc: JobContext,
  req: TimixExportRequest,
): Promise<TimixExportResult> {
  const t0 = performance.now();
  checkRequest(req);
  const { dataset, run, seqs } = resolveSubset(ctx, req);
  const model = req.model ?? 'builtin';
  const batchSize = req.batchSize ?? DEFAULT_BATCH_SIZE;
  const seed = req.seed ?? 1;
  const ratioRange = req.ratioRange ?? ([...DEFAULT_RATIO_RANGE] as [number, number]);
  const sizes = squareSizes(ratioRange);
  const schedule = req.schedule ?? AUTHORS_SCHEDULE;
  const createdAt = new Date();
  const base = datasetBaseDir(dataset.root);

  const staged = await stageOutputFolder(req.out);
  let writer: RecipeWriter | undefined;
  let images: Materializer | undefined;
  jc.progress({ stage: 'saliency model', done: 0, total: seqs.length, message: model });
  const source = await openSaliencySource(ctx, dataset, model).catch(async (e: unknown) => {
    await staged.discard();
    throw e;
  });
  try {
    const head = {
      format: RECIPE_FORMAT,
      version: RECIPE_VERSION,
      grid: MIX_GRID,
      saliencyInput: { size: INPUT_SIZE, crop: 'cover, centred' },
      model,
      seed,
      batchSize,
      ratioRange,
      squareSizes: sizes,
      schedule: describeSchedule(schedule),
      imageBase: base,
    };
    writer = await RecipeWriter.open(path.join(staged.dir, 'recipe.json'), head);
    if (req.materialize) {
      const shardDir = path.join(staged.dir, 'shards');
      await mkdir(shardDir);
      images = new Materializer(shardDir, (p) => readImageBytes(dataset.root, p.image), {
        ...req.images,
        mtime: createdAt,
        signal: jc.signal,
      });
    }

    const skipped: Record<string, number> = {};
    let samples = 0;
    let batches = 0;
    let flat = 0;
    let selfMixed = 0;
    let done = 0;
    const drawSize = squareSizeDrawer(seed, sizes);
    const order = shuffledOrder(seqs, seed);
    jc.progress({ stage: 'mixing', done: 0, total: seqs.length });
    for (const slice of batchesOf(order, batchSize)) {
      jc.throwIfCancelled();
      const s = drawSize();
      const pairs: StoredPair[] = [];
      for (const seq of slice) {
        const p = getPairBySeq(ctx.db, dataset.id, seq);
        if (isMixable(p)) pairs.push(p);
        else bump(skipped, 'no_image');
      }
      const maps = await source.maps(pairs, jc.signal);
      const members: RecipePair[] = [];
      const memberMaps: Float32Array[] = [];
      for (let i = 0; i < pairs.length; i++) {
        const p = pairs[i]!;
        const m = maps[i];
        if (!m) {
          bump(skipped, 'no_saliency');
          continue;
        }
        const dims = await pairSize(dataset.root, p);
        if (!dims) {
          bump(skipped, 'unreadable_image');
          continue;
        }
        if (isFlat(m)) flat++;
        members.push({ seq: p.seq, key: p.key, image: p.image, caption: p.caption ?? '', ...dims });
        memberMaps.push(m);
      }
      done += slice.length;
      if (members.length > 0) {
        const batch = buildRecipeBatch(batches, samples, members, memberMaps, s);
        await writer.writeBatch(batch);
        if (images) await images.add(batch);
        samples += batch.samples.length;
        selfMixed += batch.samples.filter((x) => x.selfMix).length;
        batches++;
      }
      jc.progress({ stage: 'mixing', done, total: seqs.length });
    }
    const counts = { pairs: seqs.length, samples, batches, skipped, flatSaliency: flat, selfMixed };
    await writer.close({ counts });
    writer = undefined;
    let imageStats: MaterializeStats | undefined;
    if (images) {
      jc.progress({ stage: 'writing images', done: seqs.length, total: seqs.length });
      imageStats = await images.close();
      images = undefined;
    }

    const manifest = {
      format: TIMIX_MANIFEST_FORMAT,
      version: 1,
      method: 'timix',
      appVersion: APP_VERSION,
      createdAt: createdAt.toISOString(),
      source: {
        datasetId: dataset.id,
        datasetName: dataset.name,
        datasetRoot: dataset.root,
        imageBase: base,
        ...(run ? { runId: run.id, runMethod: run.method, runLabel: run.label } : { subset: 'all ok pairs' }),
      },
      model,
      parameters: {
        seed,
        batchSize,
        ratioRange,
        squareSizes: sizes,
        grid: MIX_GRID,
        saliency: model === 'builtin' ? 'code–word PPMI association' : 'patch-token/text cosine',
      },
      schedule: describeSchedule(schedule),
      counts,
      files: {
        recipe: 'recipe.json',
        ...(imageStats
          ? {
              shards: imageStats.shards.map((x) => `shards/${x.name}`),
              sizes: 'shards/sizes.json',
              imageSize: imageStats.size,
              imageFormat: imageStats.format satisfies MixedImageFormat,
              imagesWritten: imageStats.written,
              imagesFailed: imageStats.failed,
            }
          : {}),
      },
      notes: [
        "Load the pairs in the recipe's batch order, one recipe batch per training batch (no shuffling): " +
          'sample i of a batch is target i with its least salient window replaced by the most salient ' +
          "window of source B−1−i, where B is that batch's size.",
        'Windows are on the 16 × 16 patch grid of the image scaled to cover a square and centre-cropped; ' +
          'at training size S a window covers pixels [col·S/16, (col+size)·S/16) × [row·S/16, (row+size)·S/16). ' +
          '`box` gives the same window in pixels of the original image (index size, EXIF orientation not re-read).',
        'Soft label: weights [λ, 1−λ] over [target caption, source caption], λ = (256 − s²)/256.',
        'Saliency is computed once, offline (the authors recompute it with the model being trained).',
      ],
    };
    const manifestFile = path.join(staged.dir, 'manifest.json');
    await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
    const folder = await staged.commit();
    return {
      folder,
      manifest: path.join(folder, 'manifest.json'),
      recipe: path.join(folder, 'recipe.json'),
      datasetId: dataset.id,
      runId: run?.id ?? null,
      model,
      pairs: seqs.length,
      samples,
      batches,
      skipped,
      flatSaliency: flat,
      selfMixed,
      ...(imageStats ? { images: imageStats } : {}),
      seconds: (performance.now() - t0) / 1000,
    };
  } catch (e) {
    writer?.destroy();
    images?.destroy();
    await staged.discard();
    throw e;
  } finally {
    await source.close();
  }
}

/**
 * Starts the export as a job (the CLI's `tldr-studio timix` and the `timix.export`
 * operation): checks the request at once, so bad input fails before a job exists.
 */
export function startTimixJob(ctx: CoreContext, req: TimixExportRequest): JobRecord {
  checkRequest(req);
  const { dataset } = subsetSource(ctx, req);
  const out = path.resolve(req.out);
  return ctx.jobs.start('timix', dataset.id, { ...req, out, resumeKey: out }, (jc) =>
    runTimixExport(ctx, jc, { ...req, out }),
  );
}
