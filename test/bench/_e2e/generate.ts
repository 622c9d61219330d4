// A CC3M-shaped dataset with precomputed embeddings, written in a streaming way:
//   cc3m.tsv      caption<TAB>url, no header (CC3M's Train_GCC-training.tsv layout)
//   img_emb.npy   image embeddings, unit rows from a Gaussian mixture (one centre per topic)
//   text_emb.npy  text embeddings from the same centres (every 10th pair off-topic: low alignment)
//   keys.txt      the URL of each embedding row
// The embedding rows come as a cluster job would leave them: shuffled within blocks of
// 10,000 (shards), about 1 % of the pairs missing (failed downloads), and 10 foreign rows
// per block (pairs not in this TSV).
import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { NpyWriter } from '../../../main/core/features/import/npy-write';
import type { NpyDtype } from '../../../main/core/features/import/npy-header';

export interface Cc3mSpec {
  pairs: number;
  dims: number;
  dtype: NpyDtype;
  text: boolean;
  topics?: number;
  seed?: number;
}

export interface Cc3mFiles {
  tsv: string;
  image: string;
  text?: string;
  keys: string;
  sourceRows: number;
  missing: number;
  extra: number;
}

const BLOCK = 10_000;
const EXTRA_PER_BLOCK = 10;

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32 → [0, 1)
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

function gaussians(r: () => number, out: Float32Array, scale: number): void {
  for (let i = 0; i < out.length; i += 2) {
    const u = Math.max(r(), 1e-12);
    const v = r();
    const m = Math.sqrt(-2 * Math.log(u)) * scale;
    out[i] = m * Math.cos(2 * Math.PI * v);
    if (i + 1 < out.length) out[i + 1] = m * Math.sin(2 * Math.PI * v);
  }
}

function normalize(v: Float32Array): void {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const inv = 1 / Math.sqrt(s || 1);
  for (let i = 0; i < v.length; i++) v[i] = v[i]! * inv;
}

const hash = (x: number) => {
  let h = Math.imul(x ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

const missingPair = (p: number) => hash(p + 77) % 100 === 0;
const url = (p: number) => `https://cc3m.example/images/${(p % 1000).toString().padStart(3, '0')}/${p}.jpg`;

const SYL = [
  'ka',
  'lo',
  'mi',
  'ne',
  'su',
  'ta',
  'ri',
  'po',
  've',
  'da',
  'go',
  'lu',
  'shi',
  'ben',
  'tor',
  'ael',
];
const COMMON = ['a', 'the', 'of', 'in', 'on', 'with', 'and', 'photo', 'view', 'near', 'at', 'person'];

function word(i: number): string {
  let w = '';
  for (let k = 0, x = i + 17; k < 3; k++, x = Math.floor(x / SYL.length)) w += SYL[x % SYL.length];
  return w;
}

/** Buffered line writer (a few MB at a time). */
class Lines {
  private fd: number;
  private parts: string[] = [];
  private size = 0;
  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }
  push(line: string): void {
    this.parts.push(line);
    this.size += line.length;
    if (this.size > 1 << 22) this.flush();
  }
  flush(): void {
    if (this.parts.length) writeSync(this.fd, this.parts.join('\n') + '\n');
    this.parts = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export function generateCc3m(dir: string, spec: Cc3mSpec): Cc3mFiles {
  const { pairs: n, dims: D } = spec;
  const topics = spec.topics ?? 2000;
  const r = rng(spec.seed ?? 1);
  const centres = new Float32Array(topics * D);
  gaussians(r, centres, 1);
  for (let c = 0; c < topics; c++) normalize(centres.subarray(c * D, (c + 1) * D));
  const topicOf = (p: number) => hash(p) % topics;

  const tsv = new Lines(path.join(dir, 'cc3m.tsv'));
  for (let p = 0; p < n; p++) {
    const t = topicOf(p);
    const words: string[] = [];
    const len = 5 + (hash(p + 1) % 8);
    for (let k = 0; k < len; k++) {
      const h = hash(p * 31 + k);
      words.push(h % 3 === 0 ? COMMON[h % COMMON.length]! : word(t * 5 + (h % 7)));
    }
    tsv.push(`${words.join(' ')}\t${url(p)}`);
  }
  tsv.close();

  let missing = 0;
  for (let p = 0; p < n; p++) if (missingPair(p)) missing++;
  const blocks = Math.ceil(n / BLOCK);
  const extra = blocks * EXTRA_PER_BLOCK;
  const rows = n - missing + extra;
  const files: Cc3mFiles = {
    tsv: path.join(dir, 'cc3m.tsv'),
    image: path.join(dir, 'img_emb.npy'),
    ...(spec.text ? { text: path.join(dir, 'text_emb.npy') } : {}),
    keys: path.join(dir, 'keys.txt'),
    sourceRows: rows,
    missing,
    extra,
  };
  const img = new NpyWriter(files.image, rows, D, spec.dtype);
  const txt = files.text ? new NpyWriter(files.text, rows, D, spec.dtype) : undefined;
  const keys = new Lines(files.keys);
  const noise = new Float32Array(D);
  const imgBuf = new Float32Array((BLOCK + EXTRA_PER_BLOCK) * D);
  const txtBuf = new Float32Array((BLOCK + EXTRA_PER_BLOCK) * D);
  const vec = (topic: number, out: Float32Array, at: number) => {
    gaussians(r, noise, 0.8 / Math.sqrt(D)); // noise norm ≈ 0.8 against a unit centre
    const v = out.subarray(at * D, (at + 1) * D);
    for (let d = 0; d < D; d++) v[d] = centres[topic * D + d]! + noise[d]!;
    normalize(v);
  };
  for (let b = 0; b < blocks; b++) {
    const ids: number[] = [];
    for (let p = b * BLOCK; p < Math.min(n, (b + 1) * BLOCK); p++) if (!missingPair(p)) ids.push(p);
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    let k = 0;
    for (const p of ids) {
      const t = topicOf(p);
      vec(t, imgBuf, k);
      if (txt) vec(p % 10 === 7 ? (t + 1 + (hash(p + 5) % (topics - 1))) % topics : t, txtBuf, k);
      keys.push(url(p));
      k++;
    }
    for (let e = 0; e < EXTRA_PER_BLOCK; e++) {
      const t = hash(b * 100 + e) % topics;
      vec(t, imgBuf, k);
      if (txt) vec(t, txtBuf, k);
      keys.push(`https://elsewhere.example/${b}/${e}.jpg`);
      k++;
    }
    img.append(imgBuf.subarray(0, k * D));
    txt?.append(txtBuf.subarray(0, k * D));
  }
  img.close();
  txt?.close();
  keys.close();
  return files;
}
