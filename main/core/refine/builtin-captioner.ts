// The builtin captioner: learned on the dataset itself, it writes a short phrase for an
// image from its patch codes (phrase.ts). What it learns:
//   - which words go with which codes: PPMI between a patch's code and the words of its
//     image's caption (features/builtin/association.ts);
//   - per word, the distribution of its evidence over the dataset's images, so an image's
//     evidence can be read as "how unusual for this word" (a z-score). Raw PPMI favours
//     the background: grass covers half of most images, so its mean is high everywhere;
//   - per word, P(word in caption | its standardised evidence) (logistic2), which ranks
//     words against each other: a rare synonym with unusual evidence stays below the
//     common word;
//   - what part each word plays: object, scene, modifier, or none (word-roles.ts).
// The statistics and roles are learned on a calibration set that the association did not
// see when one is given (cross-fitting, cross-fit-captioner.ts): on the images it learned
// from, a rare word's evidence looks far more predictive than it is.
import type { AssociationSample, CodeWordAssociation } from '../features/builtin/association';
import { learnAssociation } from '../features/builtin/association';
import { contentWords } from '../features/builtin/text';
import { fitLogistic2 } from './logistic';
import { DEFAULT_TOP_PATCHES, wordEvidence, type WordEvidence } from './word-evidence';
import { DEFAULT_ROLE_OPTIONS, learnWordRoles, rocAuc, type RoleOptions, type WordRoles } from './word-roles';

export interface BuiltinCaptionerOptions extends RoleOptions {
  /** Codebook size. */
  k: number;
  /** Patches per image (T). */
  patchCount: number;
  /** Patches the local evidence averages over. */
  topPatches?: number;
  /** Calibration images used (an even sample) for the per-word statistics and roles. */
  statsImages?: number;
  /** Vocabulary cap (by document frequency). */
  maxWords?: number;
  /** Objects named at most. */
  maxObjects?: number;
  /** Least P(word in caption) of an object named after the first. */
  extraObjectProbability?: number;
  /** Weight of log P(modifier | head) from the captions against the modifier's local evidence. */
  modifierPriorWeight?: number;
}

export const DEFAULT_CAPTIONER_OPTIONS = {
  topPatches: DEFAULT_TOP_PATCHES,
  statsImages: 4000,
  maxWords: 2000,
  maxObjects: 2,
  extraObjectProbability: 0.5,
  modifierPriorWeight: 0.25,
};

export interface BuiltinCaptioner {
  association: CodeWordAssociation;
  topPatches: number;
  /** Per word: calibration mean and sd of the top-patch and of the mean evidence. */
  topMu: Float32Array;
  topSd: Float32Array;
  meanMu: Float32Array;
  meanSd: Float32Array;
  /** Per word: AUC of the top-patch / mean evidence for the word's presence in the caption. */
  aucTop: Float32Array;
  aucMean: Float32Array;
  /** Per word: mean/top evidence ratio in calibration images naming it (how spread out it is). */
  extent: Float32Array;
  /** Per word, 3 values: logistic model of P(word in caption) on [1, top z, mean z]. */
  presence: Float32Array;
  roles: WordRoles;
  maxObjects: number;
  extraObjectProbability: number;
  modifierPriorWeight: number;
  /** Calibration images the statistics were computed on. */
  statsImages: number;
}

export const standardise = (x: number, mu: number, sd: number): number => (sd > 0 ? (x - mu) / sd : 0);

/** A deterministic, evenly spread subset of [0, n) of size ≤ m. */
function evenSample(n: number, m: number): Set<number> {
  const out = new Set<number>();
  if (n <= m) for (let i = 0; i < n; i++) out.add(i);
  else for (let j = 0; j < m; j++) out.add(Math.floor(((j + 0.5) * n) / m));
  return out;
}

function columnStats(x: Float32Array, rows: number, V: number, w: number): [number, number] {
  let m = 0;
  for (let i = 0; i < rows; i++) m += x[i * V + w]!;
  m /= Math.max(1, rows);
  let v = 0;
  for (let i = 0; i < rows; i++) v += (x[i * V + w]! - m) ** 2;
  return [m, Math.sqrt(v / Math.max(1, rows))];
}

/**
 * Learns the captioner: the association from `samples` (two passes), the statistics and
 * roles from `calibration` (default: the same samples; one or two passes).
 */
export function learnBuiltinCaptioner(
  samples: () => Iterable<AssociationSample>,
  opts: BuiltinCaptionerOptions,
  calibration: () => Iterable<AssociationSample> = samples,
): BuiltinCaptioner {
  const o = { ...DEFAULT_CAPTIONER_OPTIONS, ...opts };
  // Frequent words are kept ("ball" is in a quarter of the demo captions): function words
  // are told apart by how little the image predicts them (word-roles.ts), not by frequency.
  const association = learnAssociation(samples, {
    k: o.k,
    patchCount: o.patchCount,
    maxWords: o.maxWords,
    minDocs: o.minDocs ?? DEFAULT_ROLE_OPTIONS.minDocs,
    maxDocFraction: 0.95,
  });
  const V = association.words.length;
  let calibrationCount = association.images;
  if (calibration !== samples) {
    calibrationCount = 0;
    for (const _ of calibration()) calibrationCount++;
  }
  const pick = evenSample(calibrationCount, o.statsImages);
  const rows = pick.size;
  const top = new Float32Array(rows * V);
  const mean = new Float32Array(rows * V);
  const present = new Uint8Array(rows * V);
  const captions: string[] = [];
  const ev: WordEvidence = { mean: new Float32Array(V), top: new Float32Array(V) };
  let i = 0;
  let n = 0;
  for (const s of calibration()) {
    if (!pick.has(i++) || n >= rows) continue;
    wordEvidence(association, s.codes, o.topPatches, ev);
    top.set(ev.top, n * V);
    mean.set(ev.mean, n * V);
    for (const w of new Set(contentWords(s.caption))) {
      const j = association.index.get(w);
      if (j !== undefined) present[n * V + j] = 1;
    }
    captions.push(s.caption);
    n++;
  }

  const topMu = new Float32Array(V);
  const topSd = new Float32Array(V);
  const meanMu = new Float32Array(V);
  const meanSd = new Float32Array(V);
  const aucTop = new Float32Array(V);
  const aucMean = new Float32Array(V);
  const presence = new Float32Array(3 * V);
  const extent = new Float32Array(V);
  const tz = new Float32Array(n);
  const mz = new Float32Array(n);
  const label = new Uint8Array(n);
  for (let w = 0; w < V; w++) {
    [topMu[w], topSd[w]] = columnStats(top, n, V, w);
    [meanMu[w], meanSd[w]] = columnStats(mean, n, V, w);
    for (let q = 0; q < n; q++) {
      label[q] = present[q * V + w]!;
      tz[q] = standardise(top[q * V + w]!, topMu[w]!, topSd[w]!);
      mz[q] = standardise(mean[q * V + w]!, meanMu[w]!, meanSd[w]!);
    }
    let share = 0;
    let named = 0;
    for (let q = 0; q < n; q++) {
      if (!label[q] || !(top[q * V + w]! > 0)) continue;
      share += mean[q * V + w]! / top[q * V + w]!;
      named++;
    }
    extent[w] = named > 0 ? share / named : NaN;
    aucTop[w] = rocAuc(tz, label);
    aucMean[w] = rocAuc(mz, label);
    presence.set(fitLogistic2(tz, mz, label), 3 * w);
  }
  const orZero = (a: Float32Array): Float32Array => Float32Array.from(a, (v) => (Number.isNaN(v) ? 0 : v));
  const roles = learnWordRoles(
    {
      words: association.words,
      index: association.index,
      docFreq: association.docFreq,
      aucTop: orZero(aucTop),
      aucMean: orZero(aucMean),
      extent,
      captions,
    },
    opts,
  );
  return {
    association,
    topPatches: o.topPatches,
    topMu,
    topSd,
    meanMu,
    meanSd,
    aucTop,
    aucMean,
    extent,
    presence,
    roles,
    maxObjects: o.maxObjects,
    extraObjectProbability: o.extraObjectProbability,
    modifierPriorWeight: o.modifierPriorWeight,
    statsImages: n,
  };
}
