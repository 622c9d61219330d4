// The builtin captioner cross-fitted over images: the dataset's images are split into
// folds (by image, see imageFold) and each fold is captioned by a model whose association
// was learned on the other folds and calibrated on this one. No image is then described
// from its own caption's words — otherwise the "generated" phrase partly copies the
// caption it is meant to complement, mismatched captions included.
import {
  learnBuiltinCaptioner,
  type BuiltinCaptioner,
  type BuiltinCaptionerOptions,
} from './builtin-captioner';
import { imageFold, type CodedPair } from './dataset-codes';
import { describeCodes, type ImageDescription } from './phrase';

export interface CrossFitCaptionerOptions extends BuiltinCaptionerOptions {
  /** Folds (default 2; the job picks by dataset size). 1 = one model learned and calibrated on everything (not cross-fitted). */
  folds?: number;
  /** Called before each fold's model is learned. */
  onFold?: (fold: number, folds: number) => void;
}

export interface CrossFitCaptioner {
  folds: number;
  models: BuiltinCaptioner[];
}

export function learnCrossFitCaptioner(
  pairs: () => Iterable<Pick<CodedPair, 'imageKey' | 'codes' | 'caption'>>,
  opts: CrossFitCaptionerOptions,
): CrossFitCaptioner {
  const folds = Math.max(1, Math.floor(opts.folds ?? 2));
  const models: BuiltinCaptioner[] = [];
  if (folds === 1) {
    opts.onFold?.(0, 1);
    return { folds, models: [learnBuiltinCaptioner(pairs, opts)] };
  }
  for (let f = 0; f < folds; f++) {
    opts.onFold?.(f, folds);
    const train = function* () {
      for (const p of pairs()) if (imageFold(p.imageKey, folds) !== f) yield p;
    };
    const calibrate = function* () {
      for (const p of pairs()) if (imageFold(p.imageKey, folds) === f) yield p;
    };
    models.push(learnBuiltinCaptioner(train, opts, calibrate));
  }
  return { folds, models };
}

/** The model that did not learn from this image. */
export function modelFor(c: CrossFitCaptioner, imageKey: string): BuiltinCaptioner {
  return c.models[c.folds === 1 ? 0 : imageFold(imageKey, c.folds)]!;
}

export function describeCoded(
  c: CrossFitCaptioner,
  imageKey: string,
  codes: ArrayLike<number>,
): ImageDescription {
  return describeCodes(modelFor(c, imageKey), codes);
}
