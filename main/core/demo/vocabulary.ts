// What the demo can draw and the words it may use for each thing. Weights give a
// long-tailed word distribution: a common word most of the time, rarer synonyms now
// and then, as in web captions.

export type Weighted<T> = readonly (readonly [T, number])[];

export const COLOURS = {
  red: {
    rgb: [214, 39, 40],
    words: [
      ['red', 10],
      ['crimson', 0.4],
      ['scarlet', 0.2],
    ],
  },
  orange: {
    rgb: [255, 127, 14],
    words: [
      ['orange', 10],
      ['tangerine', 0.1],
    ],
  },
  yellow: {
    rgb: [245, 208, 51],
    words: [
      ['yellow', 10],
      ['golden', 0.6],
      ['lemon', 0.1],
    ],
  },
  green: {
    rgb: [44, 160, 44],
    words: [
      ['green', 10],
      ['emerald', 0.2],
      ['lime', 0.2],
    ],
  },
  blue: {
    rgb: [31, 99, 214],
    words: [
      ['blue', 10],
      ['azure', 0.2],
      ['cobalt', 0.1],
    ],
  },
  purple: {
    rgb: [140, 63, 191],
    words: [
      ['purple', 10],
      ['violet', 0.6],
      ['lilac', 0.1],
    ],
  },
  pink: {
    rgb: [242, 140, 192],
    words: [
      ['pink', 10],
      ['rosy', 0.2],
    ],
  },
  brown: {
    rgb: [139, 90, 43],
    words: [
      ['brown', 10],
      ['chocolate', 0.2],
    ],
  },
  black: {
    rgb: [34, 34, 34],
    words: [
      ['black', 10],
      ['dark', 0.5],
    ],
  },
  white: {
    rgb: [244, 244, 244],
    words: [
      ['white', 10],
      ['snowy', 0.1],
    ],
  },
  grey: {
    rgb: [138, 138, 138],
    words: [
      ['grey', 7],
      ['gray', 4],
      ['silver', 0.4],
    ],
  },
} as const satisfies Record<string, { rgb: readonly [number, number, number]; words: Weighted<string> }>;

export type ColourName = keyof typeof COLOURS;
export const COLOUR_NAMES = Object.keys(COLOURS) as ColourName[];

/** Where in a scene a thing can stand. */
export type Zone = 'sky' | 'ground' | 'water' | 'table' | 'free';

export const BACKGROUND_NAMES = ['sky', 'grass', 'sea', 'beach', 'snow', 'night', 'room'] as const;
export type BackgroundName = (typeof BACKGROUND_NAMES)[number];

export interface BackgroundKind {
  name: BackgroundName;
  weight: number;
  zones: readonly Zone[];
  /** Horizon (or table edge) as a fraction of the height; 1 = no ground. */
  horizon: readonly [number, number];
  /** Typical colours of the upper and lower part, to keep objects visible against them. */
  upper: readonly [number, number, number];
  lower: readonly [number, number, number];
  /** Where the grounded things are. */
  groundPhrases: Weighted<string>;
  /** Where the things in the sky are, when nothing stands on the ground. */
  skyPhrases: Weighted<string>;
}

export const BACKGROUNDS: readonly BackgroundKind[] = [
  {
    name: 'grass',
    weight: 10,
    zones: ['sky', 'ground', 'free'],
    horizon: [0.4, 0.6],
    upper: [120, 180, 240],
    lower: [76, 160, 70],
    groundPhrases: [
      ['on the grass', 8],
      ['on green grass', 4],
      ['in a field', 4],
      ['in a meadow', 2],
      ['in the park', 2],
      ['on a lawn', 0.6],
      ['in the countryside', 0.3],
    ],
    skyPhrases: [
      ['in the sky', 6],
      ['above a field', 3],
      ['over the grass', 2],
      ['over a green meadow', 0.5],
    ],
  },
  {
    name: 'sky',
    weight: 7,
    zones: ['sky', 'free'],
    horizon: [1, 1],
    upper: [90, 150, 220],
    lower: [190, 224, 255],
    groundPhrases: [
      ['in the sky', 6],
      ['against a blue sky', 3],
    ],
    skyPhrases: [
      ['in the sky', 8],
      ['against a blue sky', 4],
      ['in a clear blue sky', 2],
      ['up in the air', 1],
      ['high in the heavens', 0.2],
    ],
  },
  {
    name: 'sea',
    weight: 7,
    zones: ['sky', 'water', 'free'],
    horizon: [0.35, 0.55],
    upper: [130, 190, 240],
    lower: [25, 95, 160],
    groundPhrases: [
      ['on the sea', 6],
      ['in the ocean', 4],
      ['on the water', 4],
      ['by the sea', 2],
      ['on blue waves', 1],
      ['in the deep sea', 0.4],
    ],
    skyPhrases: [
      ['over the sea', 6],
      ['above the ocean', 3],
      ['in the sky over the water', 1],
      ['above the waves', 0.6],
    ],
  },
  {
    name: 'beach',
    weight: 6,
    zones: ['sky', 'ground', 'free'],
    horizon: [0.4, 0.58],
    upper: [130, 195, 245],
    lower: [232, 213, 163],
    groundPhrases: [
      ['on the beach', 8],
      ['on a sandy beach', 5],
      ['on the sand', 4],
      ['at the seaside', 1],
      ['on a tropical beach', 0.3],
    ],
    skyPhrases: [
      ['over the beach', 5],
      ['in the sky above the sand', 2],
      ['above a sandy beach', 1],
    ],
  },
  {
    name: 'snow',
    weight: 5,
    zones: ['sky', 'ground', 'free'],
    horizon: [0.4, 0.6],
    upper: [205, 222, 238],
    lower: [246, 248, 252],
    groundPhrases: [
      ['in the snow', 8],
      ['on a snowy field', 3],
      ['in winter', 3],
      ['on white snow', 2],
      ['on a snowy day', 1],
      ['in a winter wonderland', 0.2],
    ],
    skyPhrases: [
      ['over the snowy hills', 3],
      ['in a winter sky', 3],
      ['above the snow', 3],
    ],
  },
  {
    name: 'night',
    weight: 5,
    zones: ['sky', 'ground', 'free'],
    horizon: [0.55, 0.72],
    upper: [20, 26, 70],
    lower: [30, 45, 35],
    groundPhrases: [
      ['at night', 10],
      ['under a night sky', 3],
      ['in the dark', 3],
      ['on a starry night', 2],
      ['at midnight', 0.4],
    ],
    skyPhrases: [
      ['in the night sky', 6],
      ['at night', 5],
      ['in the dark sky', 2],
      ['on a starry night', 1],
    ],
  },
  {
    name: 'room',
    weight: 5,
    zones: ['table', 'free'],
    horizon: [0.48, 0.6],
    upper: [233, 220, 198],
    lower: [160, 112, 60],
    groundPhrases: [
      ['on a table', 8],
      ['on a wooden table', 5],
      ['in a room', 3],
      ['indoors', 2],
      ['on a kitchen table', 1],
      ['on a desk', 0.8],
    ],
    skyPhrases: [['in a room', 1]],
  },
];

export const OBJECT_NAMES = [
  'ball',
  'tree',
  'house',
  'car',
  'sun',
  'cat',
  'flower',
  'boat',
  'bird',
  'cloud',
  'star',
  'fish',
  'cup',
  'balloon',
  'mountain',
  'heart',
  'kite',
  'moon',
  'apple',
  'umbrella',
  'key',
  'mushroom',
] as const;
export type ObjectName = (typeof OBJECT_NAMES)[number];

export interface ObjectKind {
  name: ObjectName;
  /** Relative frequency of the thing (a long tail over the list). */
  weight: number;
  /** Caption nouns; the first is the common one. */
  nouns: Weighted<string>;
  /** Rare adjectives that fit the thing. */
  extras: readonly string[];
  /** Box width / height. */
  aspect: number;
  /** Box height as a fraction of the image side. */
  height: readonly [number, number];
  zones: readonly Zone[];
  colours: readonly ColourName[];
  /** One of a kind ("the sun"): usually takes "the". */
  unique?: boolean;
  notOn?: readonly BackgroundName[];
  /** Drawn first, behind everything (mountains). */
  backdrop?: boolean;
}

// Weights fall off roughly as 1 / rank^0.8 over OBJECT_NAMES' order.
const rankWeight = (name: ObjectName): number => 1 / Math.pow(OBJECT_NAMES.indexOf(name) + 1, 0.8);

const kinds: Omit<ObjectKind, 'weight'>[] = [
  {
    name: 'ball',
    nouns: [
      ['ball', 10],
      ['beach ball', 1],
      ['toy ball', 0.4],
    ],
    extras: ['bouncy', 'round', 'striped', 'rubber', 'inflatable'],
    aspect: 1,
    height: [0.14, 0.28],
    zones: ['ground', 'table'],
    colours: ['red', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink'],
  },
  {
    name: 'tree',
    nouns: [
      ['tree', 10],
      ['oak', 0.3],
      ['pine', 0.2],
    ],
    extras: ['tall', 'leafy', 'lonely', 'shady', 'young'],
    aspect: 0.7,
    height: [0.34, 0.58],
    zones: ['ground'],
    colours: ['green', 'green', 'green', 'orange', 'yellow'],
  },
  {
    name: 'house',
    nouns: [
      ['house', 10],
      ['home', 1],
      ['cottage', 0.6],
      ['hut', 0.3],
    ],
    extras: ['little', 'cozy', 'old', 'wooden', 'country'],
    aspect: 1,
    height: [0.3, 0.48],
    zones: ['ground'],
    colours: ['red', 'yellow', 'blue', 'white', 'brown', 'pink', 'grey'],
  },
  {
    name: 'car',
    nouns: [
      ['car', 10],
      ['vehicle', 0.5],
      ['automobile', 0.3],
      ['sedan', 0.1],
    ],
    extras: ['shiny', 'fast', 'vintage', 'parked', 'sporty'],
    aspect: 1.8,
    height: [0.15, 0.26],
    zones: ['ground'],
    colours: ['red', 'blue', 'yellow', 'green', 'black', 'white', 'grey', 'orange'],
  },
  {
    name: 'sun',
    nouns: [['sun', 10]],
    extras: ['bright', 'shining', 'warm', 'blazing', 'radiant'],
    aspect: 1,
    height: [0.16, 0.3],
    zones: ['sky'],
    colours: ['yellow', 'yellow', 'orange', 'red'],
    unique: true,
    notOn: ['night'],
  },
  {
    name: 'cat',
    nouns: [
      ['cat', 10],
      ['cat face', 3],
      ['kitten', 1],
      ['kitty', 0.3],
    ],
    extras: ['cute', 'happy', 'fluffy', 'sleepy', 'curious'],
    aspect: 1,
    height: [0.2, 0.34],
    zones: ['ground', 'table'],
    colours: ['orange', 'grey', 'black', 'white', 'brown'],
  },
  {
    name: 'flower',
    nouns: [
      ['flower', 10],
      ['blossom', 0.5],
      ['daisy', 0.4],
      ['tulip', 0.2],
    ],
    extras: ['pretty', 'blooming', 'wild', 'delicate', 'fragrant'],
    aspect: 0.6,
    height: [0.2, 0.38],
    zones: ['ground', 'table'],
    colours: ['red', 'yellow', 'pink', 'purple', 'white', 'orange', 'blue'],
  },
  {
    name: 'boat',
    nouns: [
      ['boat', 10],
      ['sailboat', 2],
      ['ship', 0.8],
      ['yacht', 0.2],
    ],
    extras: ['little', 'wooden', 'sailing', 'fishing', 'toy'],
    aspect: 1.6,
    height: [0.16, 0.28],
    zones: ['water'],
    colours: ['red', 'blue', 'white', 'yellow', 'brown'],
  },
  {
    name: 'bird',
    nouns: [
      ['bird', 10],
      ['sparrow', 0.3],
      ['seagull', 0.2],
    ],
    extras: ['flying', 'little', 'singing', 'tiny', 'chirping'],
    aspect: 1.6,
    height: [0.1, 0.17],
    zones: ['sky'],
    colours: ['blue', 'red', 'yellow', 'black', 'brown', 'white'],
  },
  {
    name: 'cloud',
    nouns: [['cloud', 10]],
    extras: ['fluffy', 'puffy', 'soft', 'drifting', 'lonely'],
    aspect: 1.8,
    height: [0.12, 0.2],
    zones: ['sky'],
    colours: ['white', 'white', 'grey'],
  },
  {
    name: 'star',
    nouns: [
      ['star', 10],
      ['star shape', 0.5],
    ],
    extras: ['bright', 'shining', 'twinkling', 'lucky', 'glittering'],
    aspect: 1,
    height: [0.1, 0.22],
    zones: ['sky', 'free'],
    colours: ['yellow', 'white', 'orange', 'red', 'blue', 'pink'],
  },
  {
    name: 'fish',
    nouns: [
      ['fish', 10],
      ['goldfish', 0.5],
    ],
    extras: ['tropical', 'little', 'swimming', 'funny', 'striped'],
    aspect: 1.6,
    height: [0.12, 0.22],
    zones: ['water'],
    colours: ['orange', 'yellow', 'blue', 'red', 'purple', 'green'],
  },
  {
    name: 'cup',
    nouns: [
      ['cup', 10],
      ['mug', 3],
      ['teacup', 0.5],
    ],
    extras: ['coffee', 'ceramic', 'empty', 'porcelain', 'steaming'],
    aspect: 1.1,
    height: [0.18, 0.3],
    zones: ['table'],
    colours: ['red', 'blue', 'white', 'yellow', 'green', 'pink'],
  },
  {
    name: 'balloon',
    nouns: [
      ['balloon', 10],
      ['party balloon', 0.6],
    ],
    extras: ['floating', 'shiny', 'big', 'helium', 'birthday'],
    aspect: 0.7,
    height: [0.22, 0.36],
    zones: ['sky', 'free'],
    colours: ['red', 'blue', 'yellow', 'green', 'pink', 'purple', 'orange'],
  },
  {
    name: 'mountain',
    nouns: [
      ['mountain', 10],
      ['hill', 1],
      ['peak', 0.4],
    ],
    extras: ['tall', 'rocky', 'distant', 'snowcapped', 'steep'],
    aspect: 1.5,
    height: [0.3, 0.5],
    zones: ['ground'],
    colours: ['grey', 'brown', 'blue', 'purple'],
    backdrop: true,
  },
  {
    name: 'heart',
    nouns: [
      ['heart', 10],
      ['heart shape', 2],
      ['love heart', 0.3],
    ],
    extras: ['big', 'glossy', 'sweet', 'valentine', 'romantic'],
    aspect: 1.1,
    height: [0.14, 0.28],
    zones: ['free'],
    colours: ['red', 'red', 'pink', 'purple'],
  },
  {
    name: 'kite',
    nouns: [['kite', 10]],
    extras: ['flying', 'diamond', 'colourful', 'paper', 'soaring'],
    aspect: 0.8,
    height: [0.22, 0.36],
    zones: ['sky'],
    colours: ['red', 'blue', 'green', 'yellow', 'orange', 'purple', 'pink'],
  },
  {
    name: 'moon',
    nouns: [
      ['moon', 10],
      ['crescent moon', 1.5],
    ],
    extras: ['pale', 'glowing', 'quiet', 'silvery', 'thin'],
    aspect: 0.55,
    height: [0.18, 0.3],
    zones: ['sky'],
    colours: ['white', 'yellow', 'yellow', 'grey'],
    unique: true,
  },
  {
    name: 'apple',
    nouns: [['apple', 10]],
    extras: ['juicy', 'fresh', 'ripe', 'shiny', 'crunchy'],
    aspect: 1,
    height: [0.14, 0.24],
    zones: ['table', 'ground'],
    colours: ['red', 'red', 'green', 'yellow'],
  },
  {
    name: 'umbrella',
    nouns: [
      ['umbrella', 10],
      ['parasol', 0.4],
    ],
    extras: ['open', 'striped', 'large', 'rain', 'folding'],
    aspect: 1,
    height: [0.24, 0.38],
    zones: ['ground'],
    colours: ['red', 'blue', 'yellow', 'green', 'purple', 'pink', 'black'],
  },
  {
    name: 'key',
    nouns: [
      ['key', 10],
      ['door key', 0.3],
    ],
    extras: ['old', 'metal', 'antique', 'brass', 'rusty'],
    aspect: 2.2,
    height: [0.11, 0.16],
    zones: ['table', 'free'],
    colours: ['yellow', 'grey', 'brown', 'black'],
  },
  {
    name: 'mushroom',
    nouns: [
      ['mushroom', 10],
      ['toadstool', 0.5],
    ],
    extras: ['spotted', 'wild', 'tiny', 'magic', 'forest'],
    aspect: 1,
    height: [0.16, 0.28],
    zones: ['ground'],
    colours: ['red', 'brown', 'orange'],
  },
];

export const OBJECTS: readonly ObjectKind[] = kinds.map((k) => ({ ...k, weight: rankWeight(k.name) }));

export function objectKind(name: ObjectName): ObjectKind {
  const k = OBJECTS.find((o) => o.name === name);
  if (!k) throw new RangeError(`unknown demo object ${name}`);
  return k;
}

export function backgroundKind(name: BackgroundName): BackgroundKind {
  const b = BACKGROUNDS.find((o) => o.name === name);
  if (!b) throw new RangeError(`unknown demo background ${name}`);
  return b;
}

/** Every noun a caption may use for `name` (tests check captions name what was drawn). */
export function objectNouns(name: ObjectName): string[] {
  return objectKind(name).nouns.map(([w]) => w);
}

/** Words a caption may use for `colour`. */
export function colourWords(colour: ColourName): string[] {
  return COLOURS[colour].words.map(([w]) => w);
}

export function hex([r, g, b]: readonly [number, number, number]): string {
  return `#${[r, g, b]
    .map((v) =>
      Math.max(0, Math.min(255, Math.round(v)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}
