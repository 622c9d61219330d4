// Captions written from what was drawn: templates and word choices weighted so that a
// few words are very common and many are rare, as in web alt-text.
import { chance, pick, weighted, type Rng } from './prng';
import { isSkyObject, type Scene, type SceneObject } from './scene';
import { COLOURS, backgroundKind, objectKind, type Weighted } from './vocabulary';

const PREFIXES: Weighted<string> = [
  ['', 14],
  ['a photo of ', 3],
  ['a picture of ', 3],
  ['an image of ', 2.5],
  ['an illustration of ', 1.5],
  ['a drawing of ', 1.5],
  ['this is a picture of ', 1],
  ['a cartoon of ', 0.8],
  ['clip art of ', 0.4],
  ['a simple drawing of ', 0.3],
  ['vector art of ', 0.2],
  ['a sketch of ', 0.15],
  ['a watercolor of ', 0.1],
  ['a sticker of ', 0.08],
  ['an icon of ', 0.06],
  ['a poster of ', 0.05],
];

const SUFFIXES: Weighted<string> = [
  ['', 24],
  [' in the image', 1.2],
  [' in this picture', 1],
  [' in the picture', 0.8],
  [', cartoon style', 0.5],
  [', flat illustration', 0.3],
  [', digital art', 0.3],
  [' stock illustration', 0.2],
  [', kids drawing', 0.1],
  [', bright colors', 0.1],
  [', minimalist', 0.06],
  [', simple shapes', 0.05],
  [' on a postcard', 0.04],
  [", children's book style", 0.03],
];

const SMALL: Weighted<string> = [
  ['small', 6],
  ['little', 2],
  ['tiny', 1],
];
const BIG: Weighted<string> = [
  ['big', 6],
  ['large', 3],
  ['huge', 1],
  ['giant', 0.2],
];

/**
 * Captions made only of the most frequent words of the corpus ("a picture of the
 * image"): what WFPP-style pruning is meant to catch.
 */
export const FREQUENT_WORD_CAPTIONS: readonly string[] = [
  'a picture of the image',
  'an image of a picture',
  'a photo of the image',
  'a picture in the image',
  'a photo of a picture in the image',
  'an image in the picture',
  'the picture of a photo',
  'a photo in the picture',
  'a picture of a photo',
  'an image of the picture',
  'a photo with a picture',
  'the image of an image',
];

function article(word: string): string {
  return /^[aeiou]/u.test(word) ? 'an' : 'a';
}

/** "a small red ball", "the sun", "a kitten". */
function nounPhrase(rng: Rng, o: SceneObject, size: number): string {
  const kind = objectKind(o.name);
  const words: string[] = [];
  const t = (o.box.height / size - kind.height[0]) / (kind.height[1] - kind.height[0]);
  if (chance(rng, 0.35)) {
    if (t < 0.3) words.push(weighted(rng, SMALL));
    else if (t > 0.7) words.push(weighted(rng, BIG));
  }
  if (chance(rng, 0.1)) words.push(pick(rng, kind.extras));
  if (chance(rng, kind.unique || o.name === 'cloud' ? 0.5 : 0.88))
    words.push(weighted(rng, COLOURS[o.colour].words));
  words.push(weighted(rng, kind.nouns));
  const first = words[0]!;
  const det = kind.unique && words.length === 1 && chance(rng, 0.8) ? 'the' : article(first);
  return `${det} ${words.join(' ')}`;
}

/** A relation that is true of the boxes: a left of b, a above b, or a looser one. */
function relation(rng: Rng, a: SceneObject, b: SceneObject): string {
  const ax = a.box.x + a.box.width / 2;
  const bx = b.box.x + b.box.width / 2;
  const ay = a.box.y + a.box.height / 2;
  const by = b.box.y + b.box.height / 2;
  const loose: Weighted<string> = [
    ['and', 6],
    ['next to', 3],
    ['beside', 1.5],
    ['near', 1.5],
    ['with', 2],
  ];
  if (chance(rng, 0.45)) return weighted(rng, loose);
  if (Math.abs(ax - bx) >= Math.abs(ay - by)) {
    return ax < bx
      ? weighted(rng, [
          ['to the left of', 3],
          ['left of', 1],
        ])
      : weighted(rng, [
          ['to the right of', 3],
          ['right of', 1],
        ]);
  }
  return ay < by
    ? weighted(rng, [
        ['above', 3],
        ['over', 1],
      ])
    : weighted(rng, [
        ['below', 3],
        ['under', 1.5],
        ['beneath', 0.3],
      ]);
}

function position(rng: Rng, o: SceneObject, size: number): string {
  const cx = (o.box.x + o.box.width / 2) / size;
  if (cx < 0.36)
    return weighted(rng, [
      ['on the left', 3],
      ['on the left side', 1],
    ]);
  if (cx > 0.64)
    return weighted(rng, [
      ['on the right', 3],
      ['on the right side', 1],
    ]);
  return weighted(rng, [
    ['in the middle', 2],
    ['in the center', 1.5],
    ['in the centre', 0.3],
  ]);
}

/** Joins things: "a, b and c", or with a true relation between the first two. */
function listThings(rng: Rng, things: SceneObject[], size: number): string {
  const nps = things.map((o) => nounPhrase(rng, o, size));
  if (nps.length === 1) return chance(rng, 0.15) ? `${nps[0]} ${position(rng, things[0]!, size)}` : nps[0]!;
  if (nps.length === 2) return `${nps[0]} ${relation(rng, things[0]!, things[1]!)} ${nps[1]}`;
  if (chance(rng, 0.5)) return `${nps.slice(0, -1).join(', ')} and ${nps[nps.length - 1]}`;
  return `${nps[0]} ${relation(rng, things[0]!, things[1]!)} ${nps[1]} and ${nps[2]}`;
}

/** A caption naming every drawn thing, with the setting. */
export function describeScene(rng: Rng, scene: Scene): string {
  const bg = backgroundKind(scene.background);
  const order = [...scene.objects];
  // Mention order varies (not always back to front).
  if (chance(rng, 0.5)) order.reverse();
  const sky = order.filter(isSkyObject);
  const grounded = order.filter((o) => !isSkyObject(o));
  let body: string;
  if (grounded.length > 0) {
    body = listThings(rng, grounded, scene.size);
    if (chance(rng, 0.85)) body += ` ${weighted(rng, bg.groundPhrases)}`;
    if (sky.length > 0) {
      const above = listThings(rng, sky, scene.size);
      body += weighted(rng, [
        [` under ${above}`, 3],
        [` with ${above} in the sky`, 3],
        [` and ${above} above`, 2],
        [`, ${above} overhead`, 0.5],
      ]);
    }
  } else {
    body = listThings(rng, sky, scene.size);
    if (chance(rng, 0.85)) body += ` ${weighted(rng, bg.skyPhrases)}`;
  }
  let caption = weighted(rng, PREFIXES) + body + weighted(rng, SUFFIXES);
  if (chance(rng, 0.04)) caption = caption.charAt(0).toUpperCase() + caption.slice(1) + '.';
  return caption;
}

export function frequentWordsCaption(rng: Rng): string {
  return pick(rng, FREQUENT_WORD_CAPTIONS);
}
