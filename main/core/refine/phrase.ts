// From an image's codes to a short phrase with the builtin captioner:
//   objects  object words by P(word in caption) (logistic on the word's standardised
//            top-patch and mean evidence); the first always, up to `maxObjects` while
//            P ≥ `extraObjectProbability`, skipping a word whose best patches are those of
//            one already named (another word for the same thing);
//   scene    the scene word with the most unusual mean evidence (the setting covers the
//            image, so its whole-image evidence is what tells);
//   modifier for each, the modifier its own best patches carry most (the colour of *that*
//            object), among those the captions put right before that head, weighed a little
//            by how often they do;
//   words    "a red ball and the sun on the grass": articles and connectors as the captions
//            use them with these words (word-roles.ts).
import { logistic2 } from './logistic';
import { standardise, type BuiltinCaptioner } from './builtin-captioner';
import { hasCodes } from './dataset-codes';
import { topPatchesOf, wordEvidence, type WordEvidence } from './word-evidence';
import { WordRole } from './word-roles';

export interface DescribedThing {
  word: string;
  modifier?: string;
  /** Objects: logit of P(word in caption); scene: standardised mean evidence. */
  score: number;
  /** Its best patches (indices into the image's codes), best first. */
  patches: number[];
}

export interface ImageDescription {
  objects: DescribedThing[];
  scene?: DescribedThing;
  /** Empty for an image without codes, or when no word plays a role (nothing visual was learned). */
  phrase: string;
}

const logit = (p: number): number => Math.log(p / (1 - p));

function scored(c: BuiltinCaptioner, ev: WordEvidence, role: WordRole): Array<{ w: number; score: number }> {
  const out: Array<{ w: number; score: number }> = [];
  const V = c.association.words.length;
  for (let w = 0; w < V; w++) {
    if (c.roles.role[w] !== role) continue;
    const mz = standardise(ev.mean[w]!, c.meanMu[w]!, c.meanSd[w]!);
    if (role === WordRole.scene) {
      out.push({ w, score: mz });
    } else {
      const tz = standardise(ev.top[w]!, c.topMu[w]!, c.topSd[w]!);
      out.push({ w, score: logistic2(c.presence, tz, mz, 3 * w) });
    }
  }
  return out.sort((x, y) => y.score - x.score || x.w - y.w);
}

/** The modifier a head's own patches carry best, among those the captions put before it; −1: none. */
function modifierFor(c: BuiltinCaptioner, codes: ArrayLike<number>, head: number, patches: number[]): number {
  const mods = c.roles.modifiersOf.get(head);
  if (!mods || patches.length === 0) return -1;
  const V = c.association.words.length;
  let total = 0;
  for (const n of mods.values()) total += n;
  let best = -1;
  let bestScore = -Infinity;
  for (const [m, n] of mods) {
    let s = 0;
    for (const t of patches) s += c.association.weights[codes[t]! * V + m]!;
    const local = standardise(s / patches.length, c.topMu[m]!, c.topSd[m]!);
    const score = local + c.modifierPriorWeight * Math.log(n / total);
    if (score > bestScore || (score === bestScore && m < best)) [best, bestScore] = [m, score];
  }
  // Only when its patches show it more than an average image does.
  return bestScore > 0 ? best : -1;
}

function overlap(a: readonly number[], b: readonly number[]): number {
  const s = new Set(a);
  let n = 0;
  for (const t of b) if (s.has(t)) n++;
  return n / Math.max(1, Math.min(a.length, b.length));
}

function keyed(m: Map<string, string>, head: string, modifier: string | undefined): string | undefined {
  return modifier ? (m.get(`${modifier} ${head}`) ?? m.get(`${modifier} *`)) : m.get(head);
}

/** "a red ball"; a scene after objects takes its connector: "on the grass", "against a blue sky". */
function nounPhrase(c: BuiltinCaptioner, t: DescribedThing, connect: boolean): string {
  const r = c.roles;
  // A bare scene word needs a connector ("the sun bird" says nothing); after a modifier
  // none may be right ("at night", where the modifier is the preposition).
  let lead = keyed(connect ? r.connectors : r.articles, t.word, t.modifier);
  if (connect && !lead && !t.modifier) lead = r.connectors.get('*');
  return [lead, t.modifier, t.word].filter(Boolean).join(' ');
}

/** Describes one image from its codes: the objects, the setting, and a phrase. */
export function describeCodes(c: BuiltinCaptioner, codes: ArrayLike<number>): ImageDescription {
  const a = c.association;
  if (!hasCodes(codes)) return { objects: [], phrase: '' };
  const ev = wordEvidence(a, codes, c.topPatches);
  const thing = (w: number, score: number): DescribedThing => {
    const patches = topPatchesOf(a, codes, w, c.topPatches);
    const m = modifierFor(c, codes, w, patches);
    return { word: a.words[w]!, ...(m >= 0 ? { modifier: a.words[m]! } : {}), score, patches };
  };
  const extra = logit(c.extraObjectProbability);
  const objects: DescribedThing[] = [];
  for (const cand of scored(c, ev, WordRole.object)) {
    if (objects.length >= c.maxObjects || (objects.length > 0 && cand.score < extra)) break;
    const t = thing(cand.w, cand.score);
    if (objects.some((x) => overlap(x.patches, t.patches) > 0.5)) continue;
    objects.push(t);
  }
  const best = scored(c, ev, WordRole.scene)[0];
  const scene = best ? thing(best.w, best.score) : undefined;
  const named = objects.map((t) => nounPhrase(c, t, false));
  const last = named.pop();
  const parts = [named.length > 0 ? `${named.join(', ')} and ${last}` : last];
  if (scene) parts.push(nounPhrase(c, scene, objects.length > 0));
  const phrase = parts.filter(Boolean).join(' ');
  return { objects, ...(scene ? { scene } : {}), phrase };
}

/** The phrase alone. */
export function captionCodes(c: BuiltinCaptioner, codes: ArrayLike<number>): string {
  return describeCodes(c, codes).phrase;
}
