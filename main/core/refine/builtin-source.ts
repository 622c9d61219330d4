// The builtin captioner as a caption source: learned (cross-fitted over images) on the
// dataset's own codes and captions from the builtin feature set, then run on each kept
// pair's codes.
import path from 'node:path';
import { FEATURE_FILES } from '../features/embed';
import type { Db } from '../store/db';
import { featureErrorSeqs, getFeatureSet } from '../store/feature-sets';
import { VectorFile } from '../store/vectors';
import type { CaptionSource } from './caption-source';
import {
  describeCoded,
  learnCrossFitCaptioner,
  type CrossFitCaptioner,
  type CrossFitCaptionerOptions,
} from './cross-fit-captioner';
import { codedPairs, hasCodes } from './dataset-codes';

export class MissingCodesError extends Error {}

export interface BuiltinSourceOptions extends Partial<Omit<CrossFitCaptionerOptions, 'k' | 'patchCount'>> {
  db: Db;
  datasetId: number;
}

/**
 * Cross-fitting folds: each model learns from (folds − 1) / folds of the images, so small
 * datasets get more folds (on 800 demo images: 75 % of phrases name a drawn object with 4
 * folds, 68 % with 2); large ones fewer (every fold costs two passes over the codes).
 */
export function defaultFolds(pairs: number): number {
  return pairs <= 20_000 ? 4 : 2;
}

export function openBuiltinSource(o: BuiltinSourceOptions): CaptionSource {
  const { db, datasetId, ...learnOptions } = o;
  const set = getFeatureSet(db, datasetId, 'builtin');
  if (!set || set.state !== 'ready') {
    throw new MissingCodesError(
      `dataset ${datasetId} has no builtin features yet: run "tldr-studio embed ${datasetId}" (or Features → Embed) first`,
    );
  }
  const codes = VectorFile.open(path.join(set.folder, FEATURE_FILES.codes));
  try {
    const k = Number(set.meta.codebookSize ?? 0);
    if (!(k > 0))
      throw new MissingCodesError(`the builtin features of dataset ${datasetId} have no codebook size`);
    const failed = featureErrorSeqs(db, set.id);
    // Learned on first use: a resumed job whose remaining pairs have no features (corrupt
    // images) does not pay for it.
    let captioner: CrossFitCaptioner | undefined;
    const learned = (): CrossFitCaptioner => {
      if (captioner) return captioner;
      const usable = (
        db
          .prepare(`SELECT COUNT(*) AS n FROM pairs WHERE dataset_id = ? AND status = 'ok'`)
          .get(datasetId) as {
          n: number;
        }
      ).n;
      captioner = learnCrossFitCaptioner(() => codedPairs(db, datasetId, codes, failed), {
        folds: defaultFolds(usable),
        ...learnOptions,
        k,
        patchCount: codes.dims,
      });
      return captioner;
    };
    const memo = new Map<string, string>();
    return {
      model: 'builtin',
      async caption(pairs) {
        return pairs.map((p) => {
          if (p.seq >= codes.rows || failed.has(p.seq)) return { error: 'no image features' };
          const known = memo.get(p.imageKey);
          if (known !== undefined) return known;
          const c = codes.readRows(p.seq, 1);
          if (!hasCodes(c)) return { error: 'no image features' };
          const phrase = describeCoded(learned(), p.imageKey, c).phrase;
          // Pairs sharing an image are usually adjacent (Flickr's five captions).
          if (memo.size > 10_000) memo.clear();
          memo.set(p.imageKey, phrase);
          return phrase;
        });
      },
      async dispose() {
        codes.close();
      },
    };
  } catch (e) {
    codes.close();
    throw e;
  }
}
