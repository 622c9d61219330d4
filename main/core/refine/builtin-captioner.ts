// The builtin captioner: a short descriptive phrase for an image from its patch codes,
// with everything learned on the dataset itself — which words go with which codes
// (association.ts), how unusual a word's evidence is in this image compared with the
// dataset (standardised per word), and what part each word plays (word-roles.ts).
//
// Why standardise per word: raw PPMI favours the background (grass covers half of most
// images, so its mean evidence is high everywhere). A word's top-patch evidence, compared
// with that word's own distribution over the dataset, says how unusually strong its
// evidence is *here*: on the demo scenes this ranks a drawn object's name first among the
// object words for about three images in four.
//
// Phrase: "<lead> <modifier> <object> [and <lead> <modifier> <object>] <lead> <scene>",
// e.g. "a red ball and the yellow sun on the grass". Modifiers are attached to the head
// whose top patches carry them (the colour of *that* object), and only when the captions
// put that modifier before that head.
import type { AssociationSample, CodeWordAssociation } from '../features/builtin/association';
import { contentWords } from '../features/builtin/text';
import { learnAssociation } from '../features/builtin/association';
import { DEFAULT_TOP_PATCHES, topPatchesOf, wordEvidence, type WordEvidence } from './word-evidence';
import {
  DEFAULT_ROLE_OPTIONS,
  learnWordRoles,
  rocAuc,
  WordRole,
  type RoleOptions,
  type WordRoles,
} from './word-roles';

export interface BuiltinCaptionerOptions extends RoleOptions {
  /** Codebook size. */
  k: number;
  /** Patches per image (T). */
  patchCount: number;
  /** Patches the local evidence averages over. */
  topPatches?: number;
  /** Images sampled (evenly) for the per-word statistics and roles. */
  statsImages?: number;
  /** Vocabulary cap (by document frequency). */
  maxWords?: number;
  /** Objects named at most. */
  maxObjects?: number;
  /** Least standardised evidence of an object after the first. */
  extraObjectZ?: number;
  /** Least standardised local evidence for a modifier to be attached. */
  modifierZ?: number;
}

export interface BuiltinCaptioner {
  association: CodeWordAssociation;
  topPatches: number;
  /** Per word: dataset mean and sd of the top-patch and the mean evidence. */
  topMu: Float32Array;
  topSd: Float32Array;
  meanMu: Float32Array;
  meanSd: Float32Array;
  /** Per word: AUC of its standardised top/mean evidence for its presence in the caption. */
  aucTop: Float32Array;
  aucMean: Float32Array;
  roles: WordRoles;
  /** Per word: logistic model of P(word in caption) on [1, top z, mean z] (3 coefficients). */
  presence: Float32Array;
  maxObjects: number;
  extraObjectZ: number;
  modifierZ: number;
  /** Images the statistics were computed on. */
  statsImages: number;
}

const DEFAULTS = {
  statsImages: 4000,
  maxWords: 2000,
  maxObjects: 2,
  extraObjectZ: 1.5,
  modifierZ: 0,
};

const z = (x: number, mu: number, sd: number): number => (sd > 0 ? (x - mu) / sd : 0);

/** A deterministic, evenly spread subset of `n` indices of size ≤ `m`. */
function evenSample(n: number, m: number): Set<number> {
  const out = new Set<number>();
  if (n <= m) for (let i = 0; i < n; i++) out.add(i);
  else for (let j = 0; j < m; j++) out.add(Math.floor(((j + 0.5) * n) / m));
  return out;
}

/**
 * Logistic regression of `y` on [1, x1, x2] by Newton's method with a small ridge (so
 * separable or constant data still give finite coefficients).
 */
export function fitLogistic2(x1: Float32Array, x2: Float32Array, y: Uint8Array, ridge = 1): [number, number, number] {
  const n = y.length;
  const b = [0, 0, 0];
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i]!;
  b[0] = Math.log((pos + 0.5) / (n - pos + 0.5));
  for (let it = 0; it < 25; it++) {
    const g = [0, 0, 0];
    const h = [0, 0, 0, 0, 0, 0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const f = [1, x1[i]!, x2[i]!];
      const p = 1 / (1 + Math.exp(-(b[0]! + b[1]! * f[1]! + b[2]! * f[2]!)));
      const wgt = p * (1 - p);
      for (let r = 0; r < 3; r++) {
        g[r]! += (y[i]! - p) * f[r]!;
        for (let c = 0; c < 3; c++) h[r * 3 + c]! += wgt * f[r]! * f[c]!;
      }
    }
    for (let r = 1; r < 3; r++) {
      g[r]! -= ridge * b[r]!;
      h[r * 3 + r]! += ridge;
    }
    h[0]! += 1e-9;
    const step = solve3(h, g);
    for (let r = 0; r < 3; r++) b[r]! += step[r]!;
    if (Math.abs(step[0]!) + Math.abs(step[1]!) + Math.abs(step[2]!) < 1e-6) break;
  }
  return [b[0]!, b[1]!, b[2]!];
}

/** Solves the 3×3 system A x = g (Cramer's rule; A is positive definite here). */
function solve3(A: number[], g: number[]): number[] {
  const det = (m: number[]): number =>
    m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) -
    m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) +
    m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!);
  const d = det(A);
  if (!(Math.abs(d) > 1e-300)) return [0, 0, 0];
  return [0, 1, 2].map((c) => {
    const m = A.slice();
    for (let r = 0; r < 3; r++) m[r * 3 + c] = g[r]!;
    return det(m) / d;
  });
}

function meanSd(x: Float32Array, rows: number, V: number, w: number): [number, number] {
  let m = 0;
  for (let i = 0; i < rows; i++) m += x[i * V + w]!;
  m /= Math.max(1, rows);
  let v = 0;
  for (let i = 0; i < rows; i++) v += (x[i * V + w]! - m) ** 2;
  return [m, Math.sqrt(v / Math.max(1, rows))];
}

/**
 * Learns the captioner: the association from `samples` (two passes), the per-word
 * statistics and roles from `calibration` (by default the same samples; an even sample of
 * `statsImages` of them). Calibrating on images the association did not see keeps a word's
 * evidence honest: rare words otherwise look predictable because the association learned
 * them from the very images they are tested on.
 */
export function learnBuiltinCaptioner(
  samples: () => Iterable<AssociationSample>,
  opts: BuiltinCaptionerOptions,
  calibration: () => Iterable<AssociationSample> = samples,
): BuiltinCaptioner {
  const o = { ...DEFAULTS, ...opts };
  const topPatches = o.topPatches ?? DEFAULT_TOP_PATCHES;
  // Function words are told apart by how predictable they are from the image (word-roles),
  // so the association keeps frequent words ("ball" is in a quarter of the demo captions).
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
  let r = 0;
  for (const s of calibration()) {
    if (pick.has(i++) && r < rows) {
      wordEvidence(association, s.codes, topPatches, ev);
      top.set(ev.top, r * V);
      mean.set(ev.mean, r * V);
      for (const w of new Set(contentWords(s.caption))) {
        const j = association.index.get(w);
        if (j !== undefined) present[r * V + j] = 1;
      }
      captions.push(s.caption);
      r++;
    }
  }
  const n = r;
  const topMu = new Float32Array(V);
  const topSd = new Float32Array(V);
  const meanMu = new Float32Array(V);
  const meanSdv = new Float32Array(V);
  const aucTop = new Float32Array(V);
  const aucMean = new Float32Array(V);
  const presence = new Float32Array(3 * V);
  const tz = new Float32Array(n);
  const mz = new Float32Array(n);
  const lab = new Uint8Array(n);
  for (let w = 0; w < V; w++) {
    [topMu[w], topSd[w]] = meanSd(top, n, V, w);
    [meanMu[w], meanSdv[w]] = meanSd(mean, n, V, w);
    for (let q = 0; q < n; q++) {
      lab[q] = present[q * V + w]!;
      tz[q] = z(top[q * V + w]!, topMu[w]!, topSd[w]!);
      mz[q] = z(mean[q * V + w]!, meanMu[w]!, meanSdv[w]!);
    }
    aucTop[w] = rocAuc(tz, lab);
    aucMean[w] = rocAuc(mz, lab);
    presence.set(fitLogistic2(tz, mz, lab), 3 * w);
  }
  const roles = learnWordRoles(
    {
      words: association.words,
      index: association.index,
      docFreq: association.docFreq,
      aucTop: Float32Array.from(aucTop, (v) => (Number.isNaN(v) ? 0 : v)),
      aucMean: Float32Array.from(aucMean, (v) => (Number.isNaN(v) ? 0 : v)),
      captions,
    },
    opts,
  );
  return {
    association,
    topPatches,
    topMu,
    topSd,
    meanMu,
    meanSd: meanSdv,
    aucTop,
    aucMean,
    roles,
    presence,
    maxObjects: o.maxObjects,
    extraObjectZ: o.extraObjectZ,
    modifierZ: o.modifierZ,
    statsImages: n,
  };
}

export interface DescribedThing {
  word: string;
  modifier?: string;
  /** Standardised evidence the word was chosen on. */
  z: number;
  /** Its best patches (indices into the image's codes). */
  patches: number[];
}

export interface ImageDescription {
  objects: DescribedThing[];
  scene?: DescribedThing;
  phrase: string;
}

/** Words of `role`, by standardised evidence (top or mean), best first. */
function ranked(
  c: BuiltinCaptioner,
  ev: WordEvidence,
  role: WordRole,
  by: 'top' | 'mean' | 'presence',
): Array<{ w: number; z: number }> {
  const out: Array<{ w: number; z: number }> = [];
  const V = c.association.words.length;
  for (let w = 0; w < V; w++) {
    if (c.roles.role[w] !== role) continue;
    const tz = z(ev.top[w]!, c.topMu[w]!, c.topSd[w]!);
    const mz = z(ev.mean[w]!, c.meanMu[w]!, c.meanSd[w]!);
    const p = c.presence;
    out.push({
      w,
      z: by === 'top' ? tz : by === 'mean' ? mz : p[3 * w]! + p[3 * w + 1]! * tz + p[3 * w + 2]! * mz,
    });
  }
  return out.sort((x, y) => y.z - x.z || x.w - y.w);
}

/** The modifier the head's own patches carry best, among those the captions put before it. */
function modifierFor(c: BuiltinCaptioner, codes: ArrayLike<number>, head: number, patches: number[]): number {
  const mods = c.roles.modifiersOf.get(head);
  if (!mods || patches.length === 0) return -1;
  const V = c.association.words.length;
  let best = -1;
  let bestZ = -Infinity;
  let total = 0;
  for (const n of mods.values()) total += n;
  const prior = Number(process.env.MODPRIOR ?? 0);
  for (const [m, n] of mods) {
    let s = 0;
    for (const t of patches) s += c.association.weights[codes[t]! * V + m]!;
    const mz = z(s / patches.length, c.topMu[m]!, c.topSd[m]!) + prior * Math.log(n / total);
    if (mz > bestZ || (mz === bestZ && best >= 0 && m < best)) [best, bestZ] = [m, mz];
  }
  return bestZ > c.modifierZ ? best : -1;
}

function overlap(a: number[], b: number[]): number {
  const s = new Set(a);
  let n = 0;
  for (const t of b) if (s.has(t)) n++;
  return n / Math.max(1, Math.min(a.length, b.length));
}

function keyed(m: Map<string, string>, head: string, modifier: string | undefined): string | undefined {
  return modifier ? (m.get(`${modifier} ${head}`) ?? m.get(`${modifier} *`)) : m.get(head);
}

/** "a red ball"; a scene with its connector: "on the grass", "against a blue sky". */
function nounPhrase(c: BuiltinCaptioner, t: DescribedThing, connect: boolean): string {
  const r = c.roles;
  const lead = connect
    ? (keyed(r.connectors, t.word, t.modifier) ?? r.connectors.get('*'))
    : keyed(r.articles, t.word, t.modifier);
  return [lead, t.modifier, t.word].filter(Boolean).join(' ');
}

/** Describes one image from its codes: the objects, the setting, and a phrase. */
export function describeCodes(c: BuiltinCaptioner, codes: ArrayLike<number>): ImageDescription {
  const a = c.association;
  const ev = wordEvidence(a, codes, c.topPatches);
  const things = (w: number, zv: number): DescribedThing => {
    const patches = topPatchesOf(a, codes, w, c.topPatches);
    const m = modifierFor(c, codes, w, patches);
    return { word: a.words[w]!, ...(m >= 0 ? { modifier: a.words[m]! } : {}), z: zv, patches };
  };
  const objects: DescribedThing[] = [];
  for (const cand of ranked(c, ev, WordRole.object, (process.env.RANK_OBJ ?? 'top') as 'top')) {
    if (objects.length >= c.maxObjects) break;
    if (objects.length > 0 && cand.z < c.extraObjectZ) break;
    const t = things(cand.w, cand.z);
    // Another word for a thing already named (its best patches are the same ones).
    if (objects.some((x) => overlap(x.patches, t.patches) > 0.5)) continue;
    objects.push(t);
  }
  const sceneCand = ranked(c, ev, WordRole.scene, (process.env.RANK_SCENE ?? 'mean') as 'mean')[0];
  const scene = sceneCand ? things(sceneCand.w, sceneCand.z) : undefined;
  const parts = objects.map((t) => nounPhrase(c, t, false));
  let phrase = parts.join(' and ');
  if (scene) phrase = [phrase, nounPhrase(c, scene, objects.length > 0)].filter(Boolean).join(' ');
  return { objects, ...(scene ? { scene } : {}), phrase };
}

/** The phrase alone. */
export function captionCodes(c: BuiltinCaptioner, codes: ArrayLike<number>): string {
  return describeCodes(c, codes).phrase;
}
