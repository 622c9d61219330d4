// A tiny WordPiece tokenizer (whole-word vocabulary) in the tokenizer.json format that
// transformers.js reads. WordPiece because @huggingface/tokenizers has no WordLevel
// model; with whole words in the vocabulary it behaves like one.

export const TINY_SPECIAL = {
  pad: '[PAD]',
  unk: '[UNK]',
  bos: '<|startoftext|>',
  eos: '<|endoftext|>',
} as const;

const WORDS = [
  'a',
  'an',
  'the',
  'of',
  'on',
  'in',
  'with',
  'and',
  'is',
  'at',
  'near',
  'photo',
  'picture',
  'dog',
  'cat',
  'man',
  'woman',
  'child',
  'car',
  'bus',
  'bike',
  'tree',
  'house',
  'street',
  'field',
  'beach',
  'water',
  'sky',
  'grass',
  'ball',
  'table',
  'food',
  'red',
  'blue',
  'green',
  'white',
  'black',
  'small',
  'large',
  'two',
  'sitting',
  'standing',
  'playing',
  'riding',
  'running',
  'eating',
];

/** Token ids: 0 pad, 1 unk, 2 bos, 3 eos, then the words. */
export function tinyVocab(): Record<string, number> {
  const vocab: Record<string, number> = {};
  [TINY_SPECIAL.pad, TINY_SPECIAL.unk, TINY_SPECIAL.bos, TINY_SPECIAL.eos, ...WORDS].forEach((w, i) => {
    vocab[w] = i;
  });
  return vocab;
}

export const TINY_IDS = { pad: 0, unk: 1, bos: 2, eos: 3 } as const;

export function tinyVocabSize(): number {
  return Object.keys(tinyVocab()).length;
}

function added(content: string, id: number): Record<string, unknown> {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

/** tokenizer.json: lower-case, split on whitespace/punctuation, wrap in bos … eos. */
export function tinyTokenizerJson(): Record<string, unknown> {
  const special = (id: string): Record<string, unknown> => ({ SpecialToken: { id, type_id: 0 } });
  const seq = (id: 'A' | 'B'): Record<string, unknown> => ({ Sequence: { id, type_id: 0 } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      added(TINY_SPECIAL.pad, TINY_IDS.pad),
      added(TINY_SPECIAL.unk, TINY_IDS.unk),
      added(TINY_SPECIAL.bos, TINY_IDS.bos),
      added(TINY_SPECIAL.eos, TINY_IDS.eos),
    ],
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special(TINY_SPECIAL.bos), seq('A'), special(TINY_SPECIAL.eos)],
      pair: [
        special(TINY_SPECIAL.bos),
        seq('A'),
        special(TINY_SPECIAL.eos),
        seq('B'),
        special(TINY_SPECIAL.eos),
      ],
      special_tokens: {
        [TINY_SPECIAL.bos]: { id: TINY_SPECIAL.bos, ids: [TINY_IDS.bos], tokens: [TINY_SPECIAL.bos] },
        [TINY_SPECIAL.eos]: { id: TINY_SPECIAL.eos, ids: [TINY_IDS.eos], tokens: [TINY_SPECIAL.eos] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: TINY_SPECIAL.unk,
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: tinyVocab(),
    },
  };
}

/** tokenizer_config.json for a given transformers tokenizer class. */
export function tinyTokenizerConfig(tokenizerClass: string, maxLength: number): Record<string, unknown> {
  return {
    tokenizer_class: tokenizerClass,
    model_max_length: maxLength,
    pad_token: TINY_SPECIAL.pad,
    unk_token: TINY_SPECIAL.unk,
    bos_token: TINY_SPECIAL.bos,
    eos_token: TINY_SPECIAL.eos,
    clean_up_tokenization_spaces: true,
  };
}
