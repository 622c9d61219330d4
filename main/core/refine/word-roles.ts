// What part each vocabulary word can play in a generated phrase, learned from the dataset
// (no word lists, so it works for any captions the codes were learned with):
//   visual    the word's presence in a caption is predicted by the image's codes
//             (AUC of its evidence ≥ minAuc), or weakly predicted (≥ weakAuc) and usually
//             modified ("a red *star*"); function words ("the", "of", "photo") are neither.
//   modifier  a visual word usually followed by another visual word or by a noun (a word
//             that ends phrases now and then): "red" ball, "sandy" beach, "at" night.
//             Attached in front of a head, never a head itself.
//   object    a visual head whose evidence is local: its top-patch evidence predicts it
//             better than its whole-image mean, or, in images that name it, its mean
//             evidence is a small share of its top-patch evidence (a drawn thing covers a
//             few patches; the second test decides when both AUCs are near 1).
//   scene     a visual head whose evidence spreads over the whole image (grass, sea,
//             night): the setting.
// Heads directly after another head most of the time ("sun *against*", "cat *face*") are
// left out: they continue a phrase rather than name a thing.
import { tokenize } from '../text/tokenize';

export const WordRole = { none: 0, modifier: 1, object: 2, scene: 3 } as const;
export type WordRole = (typeof WordRole)[keyof typeof WordRole];

export interface RoleOptions {
  /** Least AUC (caption presence vs. evidence) of a visual word. */
  minAuc?: number;
  /** Least AUC(top) − AUC(mean) of an object word … */
  localGap?: number;
  /** … or most mean/top evidence ratio (in images naming it) of an object word. */
  localExtent?: number;
  /** Least AUC of a weakly visual head (one the captions usually modify). */
  weakAuc?: number;
  /** Least share of a weakly visual head's occurrences right after a modifier. */
  afterModifierShare?: number;
  /** Least share of a word's occurrences followed by a visual word or a noun, for a modifier. */
  modifierShare?: number;
  /** Least share of a word's occurrences ending a phrase (last, or before punctuation) for a noun. */
  phraseEndShare?: number;
  /** Most share of a head's occurrences right after another head. */
  maxAfterHead?: number;
  /** Least images a word is seen in, to be said. */
  minDocs?: number;
}

/** Longest run of words kept as a connector ("in front of the"). */
const MAX_CONNECTOR_WORDS = 3;

export const DEFAULT_ROLE_OPTIONS: Required<RoleOptions> = {
  minAuc: 0.75,
  localGap: 0.02,
  localExtent: 0.3,
  weakAuc: 0.6,
  afterModifierShare: 0.3,
  modifierShare: 0.5,
  phraseEndShare: 0.02,
  maxAfterHead: 0.5,
  minDocs: 10,
};

/**
 * Area under the ROC curve of `score` (n values) for the positives marked in `label`:
 * the chance a random positive scores above a random negative (ties count half).
 * NaN when either class is empty.
 */
export function rocAuc(score: ArrayLike<number>, label: ArrayLike<number>): number {
  const n = score.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((x, y) => score[x]! - score[y]!);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n;) {
    // Average rank over a run of ties.
    let j = i;
    while (j + 1 < n && score[idx[j + 1]!] === score[idx[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let q = i; q <= j; q++) {
      if (label[idx[q]!]) {
        pos++;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export interface RoleInputs {
  words: readonly string[];
  index: ReadonlyMap<string, number>;
  docFreq: ArrayLike<number>;
  /** AUC of the standardised top-patch evidence, per word. */
  aucTop: ArrayLike<number>;
  /** AUC of the standardised mean evidence, per word. */
  aucMean: ArrayLike<number>;
  /** Per word: mean over images naming it of mean evidence / top-patch evidence (NaN: unknown). */
  extent?: ArrayLike<number>;
  /** Captions the word-order statistics come from. */
  captions: Iterable<string>;
}

export interface WordRoles {
  role: Uint8Array;
  /** Per head: modifier column → times it stood right before the head. */
  modifiersOf: Map<number, Map<number, number>>;
  /**
   * The word the captions most often put right before a noun phrase (its article: "a",
   * "an", "the"), keyed by "<modifier> <head>", "<modifier> *" (phrases starting with that
   * modifier) and "<head>" (phrases without a modifier).
   */
  articles: Map<string, string>;
  /**
   * The words most often joining a later noun phrase on ("on the", "against a"); same keys,
   * and "*": the commonest connector of any scene.
   */
  connectors: Map<string, string>;
}

/** Assigns roles and learns word order from the captions. */
export function learnWordRoles(inp: RoleInputs, opts: RoleOptions = {}): WordRoles {
  const o = { ...DEFAULT_ROLE_OPTIONS, ...opts };
  const V = inp.words.length;
  const visual = new Uint8Array(V);
  for (let w = 0; w < V; w++) {
    const auc = Math.max(inp.aucTop[w]!, inp.aucMean[w]!);
    visual[w] = inp.docFreq[w]! >= o.minDocs && auc >= o.minAuc ? 1 : 0;
  }
  const tokenized = [...inp.captions].map((c) => tokenize(c).map((t) => ({ t, w: inp.index.get(t) ?? -1 })));
  const isVisual = (w: number): boolean => w >= 0 && visual[w] === 1;
  const occ = new Float64Array(V);
  for (const toks of tokenized) for (const tk of toks) if (tk.w >= 0) occ[tk.w]!++;

  // Modifiers: visual words usually followed by a visual word or a noun.
  const role = new Uint8Array(V);
  // Words that end phrases (last in a caption, or before punctuation, now and then) are
  // nouns; prepositions and adjectives never are. A word usually followed by such a word is
  // a modifier ("red" → ball, "at" → night), whether or not that noun is itself visual.
  const ends = new Float64Array(V);
  for (const toks of tokenized)
    for (let i = 0; i < toks.length; i++)
      if (toks[i]!.w >= 0 && (i + 1 === toks.length || !/\p{L}/u.test(toks[i + 1]!.t))) ends[toks[i]!.w]!++;
  const endsPhrases = (w: number): boolean => w >= 0 && ends[w]! >= o.phraseEndShare * occ[w]!;
  const beforeEnder = new Float64Array(V);
  for (const toks of tokenized)
    for (let i = 0; i + 1 < toks.length; i++)
      if (toks[i]!.w >= 0 && endsPhrases(toks[i + 1]!.w)) beforeEnder[toks[i]!.w]!++;
  const findModifiers = (): void => {
    const beforeVisual = new Float64Array(V);
    for (const toks of tokenized)
      for (let i = 0; i + 1 < toks.length; i++)
        if (isVisual(toks[i]!.w) && isVisual(toks[i + 1]!.w)) beforeVisual[toks[i]!.w]!++;
    for (let w = 0; w < V; w++) {
      const share = Math.max(beforeVisual[w]!, beforeEnder[w]!) / Math.max(1, occ[w]!);
      role[w] = visual[w] && share >= o.modifierShare ? WordRole.modifier : WordRole.none;
    }
  };
  findModifiers();
  // A word the image predicts only weakly (small data, small objects) is still visual when
  // the captions usually put a modifier in front of it: it names a thing ("a red *star*").
  // Function words are never modified, so this does not let them in.
  const afterModifier = new Float64Array(V);
  for (const toks of tokenized)
    for (let i = 1; i < toks.length; i++)
      if (toks[i]!.w >= 0 && toks[i - 1]!.w >= 0 && role[toks[i - 1]!.w] === WordRole.modifier)
        afterModifier[toks[i]!.w]!++;
  let added = false;
  for (let w = 0; w < V; w++) {
    if (visual[w] || inp.docFreq[w]! < o.minDocs) continue;
    if (Math.max(inp.aucTop[w]!, inp.aucMean[w]!) < o.weakAuc) continue;
    if (afterModifier[w]! < o.afterModifierShare * occ[w]!) continue;
    visual[w] = 1;
    added = true;
  }
  if (added) findModifiers();

  // Heads: visual, not modifiers, and not usually right after another head.
  const afterHead = new Float64Array(V);
  const isHeadLike = (w: number): boolean => isVisual(w) && role[w] !== WordRole.modifier;
  for (const toks of tokenized)
    for (let i = 1; i < toks.length; i++)
      if (isHeadLike(toks[i]!.w) && isHeadLike(toks[i - 1]!.w)) afterHead[toks[i]!.w]!++;
  for (let w = 0; w < V; w++) {
    if (!isHeadLike(w) || afterHead[w]! > o.maxAfterHead * occ[w]!) continue;
    const local =
      inp.aucTop[w]! - inp.aucMean[w]! >= o.localGap || (inp.extent?.[w] ?? Infinity) <= o.localExtent;
    role[w] = local ? WordRole.object : WordRole.scene;
  }

  // Word order: modifiers right before each head, and what leads into the phrase.
  const modifiersOf = new Map<number, Map<number, number>>();
  const articleCounts = new Map<string, Map<string, number>>();
  const connectorCounts = new Map<string, Map<string, number>>();
  const bump = <K>(m: Map<K, number>, k: K): void => {
    m.set(k, (m.get(k) ?? 0) + 1);
  };
  const bumpKeyed = (m: Map<string, Map<string, number>>, keys: string[], v: string): void => {
    for (const key of keys) {
      let c = m.get(key);
      if (!c) m.set(key, (c = new Map()));
      bump(c, v);
    }
  };
  const isHead = (w: number): boolean =>
    w >= 0 && (role[w] === WordRole.object || role[w] === WordRole.scene);
  for (const toks of tokenized) {
    for (let i = 0; i < toks.length; i++) {
      const h = toks[i]!.w;
      if (!isHead(h)) continue;
      let start = i;
      while (start > 0 && toks[start - 1]!.w >= 0 && role[toks[start - 1]!.w] === WordRole.modifier) start--;
      if (start < i) {
        const m = toks[i - 1]!.w;
        let mods = modifiersOf.get(h);
        if (!mods) modifiersOf.set(h, (mods = new Map()));
        bump(mods, m);
      }
      // The role-less words just before the phrase, back to the previous role word.
      const lead: string[] = [];
      let j = start - 1;
      for (; j >= 0 && lead.length <= MAX_CONNECTOR_WORDS; j--) {
        const tk = toks[j]!;
        if ((tk.w >= 0 && role[tk.w] !== WordRole.none) || !/\p{L}/u.test(tk.t)) break;
        lead.unshift(tk.t);
      }
      const hw = inp.words[h]!;
      const keys = start < i ? [`${toks[start]!.t} ${hw}`, `${toks[start]!.t} *`] : [hw];
      if (lead.length > 0) bumpKeyed(articleCounts, keys, lead[lead.length - 1]!);
      // A whole run between two named things joins them ("on the", "against a"); a run
      // cut by punctuation or the caption's start is not a connector ("a photo of a").
      const between = j >= 0 && toks[j]!.w >= 0 && role[toks[j]!.w] !== WordRole.none;
      if (between && lead.length <= MAX_CONNECTOR_WORDS) {
        bumpKeyed(connectorCounts, keys, lead.join(' '));
        if (lead.length > 0 && role[h] === WordRole.scene) bumpKeyed(connectorCounts, ['*'], lead.join(' '));
      }
    }
  }
  const commonest = (m: Map<string, Map<string, number>>): Map<string, string> => {
    const out = new Map<string, string>();
    for (const [key, runs] of m) {
      let best = '';
      let bestCount = -1;
      for (const [run, c] of runs)
        if (c > bestCount || (c === bestCount && run < best)) [best, bestCount] = [run, c];
      out.set(key, best);
    }
    return out;
  };
  const articles = commonest(articleCounts);
  const connectors = commonest(connectorCounts);
  return { role, modifiersOf, articles, connectors };
}
