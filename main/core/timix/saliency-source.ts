// Where saliency maps come from for a dataset: the builtin feature files (patch codes +
// the code–word association learned on the dataset, cached per feature set) or a
// CLIP-family model run on the images. The I/O edge of saliency.ts.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CoreContext } from '../context';
import { learnAssociation, type CodeWordAssociation } from '../features/builtin/association';
import { INPUT_SIZE } from '../features/builtin/descriptors';
import { FEATURE_FILES } from '../features/embed';
import { decodeImage } from '../image/decode';
import { readImageBytes } from '../image/read-bytes';
import { UserInputError } from '../ingest/index-dataset';
import type { ClipEncoder } from '../models/clip-encoder';
import { openEncoder } from '../models/open-model';
import type { DatasetRow } from '../store/datasets';
import { getFeatureSet, type FeatureSetRow } from '../store/feature-sets';
import type { StoredPair } from '../store/pairs';
import { VectorFile } from '../store/vectors';
import { forEachPool } from '../demo/pool';
import { MIX_GRID } from './mixing';
import { builtinSaliency, clipSaliency } from './saliency';

export interface SaliencySource {
  /** 'builtin', or the CLIP-family model's id / folder. */
  readonly model: string;
  /** One z-scored MIX_GRID² map per pair; null when the pair has none (no codes, unreadable image). */
  maps(pairs: readonly StoredPair[], signal?: AbortSignal): Promise<(Float32Array | null)[]>;
  close(): Promise<void>;
}

/** Decodes in flight for the CLIP path. */
const DECODE_CONCURRENCY = 4;

// ---------------------------------------------------------------------------- builtin

const associationCache = new Map<string, CodeWordAssociation>();
const CACHE_ENTRIES = 2;

function codebookSize(fs: FeatureSetRow): number {
  const k = fs.meta.codebookSize;
  if (typeof k === 'number' && k > 0) return k;
  const v = VectorFile.open(path.join(fs.folder, FEATURE_FILES.codebook));
  try {
    return v.rows;
  } finally {
    v.close();
  }
}

function readyBuiltinFeatures(ctx: CoreContext, datasetId: number): FeatureSetRow {
  const fs = getFeatureSet(ctx.db, datasetId, 'builtin');
  if (!fs || fs.state !== 'ready')
    throw new UserInputError(
      `dataset ${datasetId} has no builtin features yet: run \`tldr-studio embed ${datasetId}\` first`,
    );
  return fs;
}

/**
 * The code–word association of a dataset's builtin features, learned on all its ok pairs
 * (two streaming passes over codes.f16 and the captions) and cached per feature set.
 */
export function datasetAssociation(ctx: CoreContext, datasetId: number): CodeWordAssociation {
  const fs = readyBuiltinFeatures(ctx, datasetId);
  const key = `${ctx.workspace}:${fs.id}:${fs.updatedAt}`;
  const hit = associationCache.get(key);
  if (hit) return hit;
  const codes = VectorFile.open(path.join(fs.folder, FEATURE_FILES.codes));
  try {
    if (codes.dims !== MIX_GRID * MIX_GRID)
      throw new Error(`${codes.path}: ${codes.dims} codes per image, expected ${MIX_GRID * MIX_GRID}`);
    const captions = ctx.db.prepare(
      `SELECT seq, caption FROM pairs WHERE dataset_id = ? AND status = 'ok' AND seq >= ? AND seq < ? ORDER BY seq`,
    );
    const chunk = 4096;
    const samples = function* () {
      for (const { start, count, data } of codes.chunks(chunk)) {
        const rows = captions.all(datasetId, start, start + count) as {
          seq: number;
          caption: string | null;
        }[];
        for (const r of rows) {
          const i = r.seq - start;
          if (!codes.isDone(r.seq)) continue;
          const row = data.subarray(i * codes.dims, (i + 1) * codes.dims);
          if (row[0]! < 0 && row.every((c) => c < 0)) continue; // the image failed to encode
          yield { codes: row, caption: r.caption ?? '' };
        }
      }
    };
    const a = learnAssociation(samples, { k: codebookSize(fs), patchCount: codes.dims });
    associationCache.set(key, a);
    while (associationCache.size > CACHE_ENTRIES)
      associationCache.delete(associationCache.keys().next().value!);
    return a;
  } finally {
    codes.close();
  }
}

function builtinSource(ctx: CoreContext, dataset: DatasetRow): SaliencySource {
  const fs = readyBuiltinFeatures(ctx, dataset.id);
  const a = datasetAssociation(ctx, dataset.id);
  const codes = VectorFile.open(path.join(fs.folder, FEATURE_FILES.codes));
  const row = new Float32Array(codes.dims);
  return {
    model: 'builtin',
    async maps(pairs) {
      return pairs.map((p) => {
        if (p.seq >= codes.rows || !codes.isDone(p.seq)) return null;
        return builtinSaliency(a, codes.readRows(p.seq, 1, row), p.caption ?? '');
      });
    },
    async close() {
      codes.close();
    },
  };
}

// ---------------------------------------------------------------------------- CLIP family

function clipSource(
  encoder: ClipEncoder,
  dataset: DatasetRow,
  model: string,
  owned: boolean,
): SaliencySource {
  return {
    model,
    async maps(pairs, signal) {
      const images = new Array<{ data: Uint8Array; width: number; height: number } | null>(pairs.length).fill(
        null,
      );
      await forEachPool(
        pairs,
        DECODE_CONCURRENCY,
        async (p, i) => {
          try {
            const bytes = await readImageBytes(dataset.root, p.image);
            // The same centred square as the builtin grid; CLIP's own resize + crop is then the identity.
            images[i] = await decodeImage(bytes, {
              fit: { width: INPUT_SIZE, height: INPUT_SIZE, mode: 'cover' },
            });
          } catch {
            images[i] = null; // unreadable or corrupt: no saliency, the pair is skipped
          }
        },
        signal,
      );
      const ok = pairs.map((_, i) => i).filter((i) => images[i] !== null);
      if (ok.length === 0) return pairs.map(() => null);
      const tokens = await encoder.patchTokens(
        ok.map((i) => images[i]!),
        signal ? { signal } : {},
      );
      const texts = await encoder.embedTexts(ok.map((i) => pairs[i]!.caption ?? ''));
      const out = new Array<Float32Array | null>(pairs.length).fill(null);
      ok.forEach((i, j) => {
        const t = tokens[j]!;
        if (!t.projected)
          throw new UserInputError(
            `${model} gives no patch tokens in the text space (${encoder.projectionUnavailable ?? 'no projection'}): ` +
              `use a CLIP model or the builtin features for TiMix saliency`,
          );
        out[i] = clipSaliency(t.projected, t.grid, texts[j]!);
      });
      return out;
    },
    async close() {
      if (owned) await encoder.dispose();
    },
  };
}

/**
 * Opens the saliency source of a dataset: 'builtin' (needs its builtin features), a
 * CLIP-family registry id or model folder (opened here, without downloading), or an
 * already opened encoder (which the caller keeps and disposes).
 */
export async function openSaliencySource(
  ctx: CoreContext,
  dataset: DatasetRow,
  model: string | ClipEncoder,
): Promise<SaliencySource> {
  if (model === 'builtin') return builtinSource(ctx, dataset);
  if (typeof model !== 'string') return clipSource(model, dataset, path.basename(model.folder), false);
  const ref = existsSync(model) ? { folder: model } : { id: model };
  const encoder = await openEncoder(ref, { workspace: ctx.workspace });
  return clipSource(encoder, dataset, model, true);
}
