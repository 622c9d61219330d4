// A tiny seeded mutator for hostile-input tests: the same (seed, case) always gives the
// same bytes, so a failure found in CI is replayed exactly from the printed seed.
import { mulberry32 } from '../../main/core/methods/rng';

/** mulberry32 (the app's own seeded generator): floats in [0, 1). */
export const rng = mulberry32;

/** Seed of one fuzz case: mixes the run seed, a name (the reader) and the case number. */
export function caseSeed(seed: number, name: string, index: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const c of `${name}#${index}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

type Rand = () => number;
const int = (r: Rand, n: number): number => Math.floor(r() * n);

function randomBytes(r: Rand, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = int(r, 256);
  return b;
}

/** Numbers that break length fields: huge, negative, off by one, overflowing 32 bits. */
const HUGE_NUMBERS = [
  '99999999999999999999',
  '4294967295',
  '4294967296',
  '2147483648',
  '-1',
  '1e308',
  '9007199254740993',
  '77777777777',
  'NaN',
  '0',
];

/** Tokens that matter to the text formats: structure characters, quotes, separators. */
const TOKENS = [
  '"',
  '\\',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '\t',
  '\n',
  '\r',
  '\0',
  '#',
  '../',
  '\u00e9',
  '\uFFFD',
];

export interface Mutation {
  name: string;
  bytes: Buffer;
}

/**
 * One mutation of `input`: bit flips, truncation, insertion, deletion, duplication, a huge
 * number over a digit run or a 32-bit field, structure tokens, or random bytes.
 */
export function mutate(input: Uint8Array, r: Rand): Mutation {
  const src = Buffer.from(input);
  const n = src.length;
  const at = (): number => int(r, Math.max(1, n));
  switch (int(r, 9)) {
    case 0: {
      const out = Buffer.from(src);
      const flips = 1 + int(r, 8);
      for (let i = 0; i < flips && n > 0; i++) out[at()]! ^= 1 << int(r, 8);
      return { name: `bitflip×${flips}`, bytes: out };
    }
    case 1: {
      const cut = at();
      return { name: `truncate@${cut}`, bytes: src.subarray(0, cut) };
    }
    case 2: {
      const pos = at();
      const len = 1 + int(r, 64);
      return {
        name: `insert ${len}@${pos}`,
        bytes: Buffer.concat([src.subarray(0, pos), randomBytes(r, len), src.subarray(pos)]),
      };
    }
    case 3: {
      const pos = at();
      const len = 1 + int(r, Math.max(1, Math.min(512, n - pos)));
      return {
        name: `delete ${len}@${pos}`,
        bytes: Buffer.concat([src.subarray(0, pos), src.subarray(pos + len)]),
      };
    }
    case 4: {
      const pos = at();
      const len = 1 + int(r, 256);
      const chunk = src.subarray(pos, pos + len);
      return {
        name: `duplicate ${chunk.length}@${pos}`,
        bytes: Buffer.concat([src.subarray(0, pos + chunk.length), chunk, src.subarray(pos + chunk.length)]),
      };
    }
    case 5: {
      // Replace a run of ASCII digits (tar sizes, json numbers, csv fields) with a huge number.
      const text = src.toString('latin1');
      const runs = [...text.matchAll(/[0-9]+/g)];
      const num = HUGE_NUMBERS[int(r, HUGE_NUMBERS.length)]!;
      if (runs.length === 0) return { name: `append ${num}`, bytes: Buffer.concat([src, Buffer.from(num)]) };
      const m = runs[int(r, runs.length)]!;
      const keepWidth = r() < 0.5 && num.length >= m[0].length;
      const put = keepWidth ? num.slice(0, m[0].length) : num;
      return {
        name: `number ${m[0]}→${put}@${m.index}`,
        bytes: Buffer.concat([
          src.subarray(0, m.index),
          Buffer.from(put, 'latin1'),
          src.subarray(m.index + m[0].length),
        ]),
      };
    }
    case 6: {
      // A binary length field (parquet footer, PNG chunk, JPEG segment) set to an extreme.
      const out = Buffer.from(src);
      if (n < 4) return { name: 'noop', bytes: out };
      const pos = int(r, n - 3);
      const value = [0xffffffff, 0x7fffffff, 0x80000000, 0][int(r, 4)]!;
      if (r() < 0.5) out.writeUInt32LE(value, pos);
      else out.writeUInt32BE(value, pos);
      return { name: `u32 ${value.toString(16)}@${pos}`, bytes: out };
    }
    case 7: {
      const pos = at();
      const tok = TOKENS[int(r, TOKENS.length)]!;
      const times = 1 + int(r, r() < 0.1 ? 5000 : 3);
      return {
        name: `token ${JSON.stringify(tok)}×${times}@${pos}`,
        bytes: Buffer.concat([src.subarray(0, pos), Buffer.from(tok.repeat(times)), src.subarray(pos)]),
      };
    }
    default: {
      const len = int(r, 2048);
      return { name: `random ${len}`, bytes: randomBytes(r, len) };
    }
  }
}

/** One to three stacked mutations, names joined. */
export function mutateMany(input: Uint8Array, r: Rand): Mutation {
  let cur: Mutation = { name: '', bytes: Buffer.from(input) };
  const times = 1 + int(r, 3);
  const names: string[] = [];
  for (let i = 0; i < times; i++) {
    cur = mutate(cur.bytes, r);
    names.push(cur.name);
    if (cur.name.startsWith('random')) break;
  }
  return { name: names.join(' + '), bytes: cur.bytes };
}

/** Rejects after `ms` unless `p` settles first (the timer never keeps the process alive). */
export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Seed of this run: TLDR_FUZZ_SEED when set (to replay a failure), else a fixed one. */
export function runSeed(): number {
  const env = process.env.TLDR_FUZZ_SEED;
  return env ? Number(env) >>> 0 : 20261122;
}

/** Per-target time budget: TLDR_FUZZ_MS when set (longer local runs), else `ms`. */
export function budgetMs(ms: number): number {
  const env = Number(process.env.TLDR_FUZZ_MS);
  return Number.isFinite(env) && env > 0 ? env : ms;
}
