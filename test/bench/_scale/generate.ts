// The scale benchmark's data (issue #7 item 3), written streaming so that 3M pairs take
// no more memory than 20k:
//   shards/NNNNN.tar   an img2dataset-style webdataset: members <key>.jpg, <key>.json,
//                      <key>.txt, 10,000 samples per shard (no parquet, no stats: not needed)
//   pool.bin + .json   the pool of small distinct JPEGs every pair reuses
//
// Generating millions of images with sharp is too slow, so a pool of a few thousand
// distinct 32×32 scenes (the demo's scene composer: backgrounds, things, colours) is
// rendered once and each pair reuses one pool image's bytes; clustering them means
// something. Each caption is one of the scene's own descriptions (the demo's captioner,
// a few variants per scene) plus 0–5 words drawn from a 5,000-word list with a Zipf
// (s = 1.05) frequency, so the word counts have the long tail WFPP prunes.
//
// clusterEmbeddings: the vectors a cluster job would have computed for the pairs NOT in the
// local embed sample: the builtin model's global vector of the pair's pool image (encoded
// once per pool image) plus small noise, and the builtin text vector of its caption (the
// IDF over all captions, as the embed job learns it); float16 .npy + key list.
import { closeSync, openSync, readFileSync, writeFileSync, writeSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { closeCore, openCore } from '../../../main/core/context';
import { describeScene } from '../../../main/core/demo/captions';
import { hashSeed, rngFor } from '../../../main/core/demo/prng';
import { renderSceneJpeg } from '../../../main/core/demo/render-image';
import { composeScene } from '../../../main/core/demo/scene';
import { createBuiltinEncoder } from '../../../main/core/features/builtin/encoder';
import { DocumentFrequencies, embedText } from '../../../main/core/features/builtin/text';
import { NpyWriter } from '../../../main/core/features/import/npy-write';
import { inEmbedSample, type EmbedSample } from '../../../main/core/features/sample';
import { ImageError } from '../../../main/core/image/errors';
import { tarHeader } from '../../fixtures/dataset/tar-builder';

export const PER_SHARD = 10_000;
export const IMAGE_SIZE = 32;
const VARIANTS = 4;
const VOCABULARY = 5_000;
const ZIPF_S = 1.05;

export interface ScaleSpec {
  pairs: number;
  /** Distinct pool images (default min(4000, pairs / 5), at least 50). */
  pool?: number;
  seed?: number;
}

export interface ScaleData {
  shards: string;
  pairs: number;
  shardCount: number;
  pool: number;
  poolFile: string;
  bytes: number;
}

interface PoolIndex {
  seed: number;
  offsets: number[];
  sizes: number[];
  captions: string[][];
}

export const pairKey = (p: number) =>
  `${String(Math.floor(p / PER_SHARD)).padStart(5, '0')}${String(p % PER_SHARD).padStart(4, '0')}`;
export const pairOfKey = (key: string) => Number(key.slice(0, 5)) * PER_SHARD + Number(key.slice(5));
const mix = (p: number, seed: number, salt: number) => hashSeed(seed, salt, p);
export const sceneOf = (p: number, pool: number, seed: number) => mix(p, seed, 1) % pool;

/** Zipf word list: made-up words (distinct, pronounceable), and the inverse CDF to draw them. */
function zipfWords(seed: number): { words: string[]; cdf: Float64Array } {
  const syl = [
    'ka',
    'lo',
    'mi',
    'ne',
    'su',
    'ta',
    'ri',
    'po',
    've',
    'du',
    'sha',
    'gon',
    'tel',
    'mar',
    'bi',
    'zu',
  ];
  const rng = rngFor(seed, 'words');
  const words = new Set<string>();
  while (words.size < VOCABULARY) {
    const n = 2 + Math.floor(rng() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += syl[Math.floor(rng() * syl.length)];
    words.add(w);
  }
  const cdf = new Float64Array(VOCABULARY);
  let s = 0;
  for (let r = 0; r < VOCABULARY; r++) cdf[r] = s += 1 / (r + 1) ** ZIPF_S;
  for (let r = 0; r < VOCABULARY; r++) cdf[r] = cdf[r]! / s;
  return { words: [...words], cdf };
}

function drawWord(u: number, cdf: Float64Array): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Caption of pair p: its scene's description (one of a few variants) + Zipf words. */
export function captionMaker(pool: PoolIndex): (p: number) => string {
  const { words, cdf } = zipfWords(pool.seed);
  const n = pool.captions.length;
  return (p) => {
    const scene = sceneOf(p, n, pool.seed);
    const h = mix(p, pool.seed, 2);
    let c = pool.captions[scene]![h % VARIANTS]!;
    const extra = (h >>> 8) % 6;
    const rng = rngFor(pool.seed, 'extra', p);
    for (let i = 0; i < extra; i++) c += ` ${words[drawWord(rng(), cdf)]}`;
    return c;
  };
}

async function renderPool(
  dir: string,
  count: number,
  seed: number,
): Promise<{ file: string; index: PoolIndex }> {
  const images: Buffer[] = [];
  const captions: string[][] = [];
  const batch = 16;
  for (let i = 0; i < count; i += batch) {
    const scenes = Array.from({ length: Math.min(batch, count - i) }, (_, j) =>
      composeScene(rngFor(seed, 'scene', i + j), IMAGE_SIZE),
    );
    images.push(...(await Promise.all(scenes.map((s) => renderSceneJpeg(s)))));
    scenes.forEach((s, j) =>
      captions.push(
        Array.from({ length: VARIANTS }, (_, v) => describeScene(rngFor(seed, 'caption', i + j, v), s)),
      ),
    );
  }
  const offsets: number[] = [];
  let off = 0;
  for (const b of images) {
    offsets.push(off);
    off += b.length;
  }
  const file = path.join(dir, 'pool.bin');
  writeFileSync(file, Buffer.concat(images));
  const index: PoolIndex = { seed, offsets, sizes: images.map((b) => b.length), captions };
  writeFileSync(path.join(dir, 'pool.json'), JSON.stringify(index));
  return { file, index };
}

function readPool(dir: string): { bin: Buffer; index: PoolIndex } {
  return {
    bin: readFileSync(path.join(dir, 'pool.bin')),
    index: JSON.parse(readFileSync(path.join(dir, 'pool.json'), 'utf8')) as PoolIndex,
  };
}

const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);

export async function generateScaleWebdataset(dir: string, spec: ScaleSpec): Promise<ScaleData> {
  const seed = spec.seed ?? 1;
  const poolCount = spec.pool ?? Math.max(50, Math.min(4000, Math.floor(spec.pairs / 5)));
  mkdirSync(dir, { recursive: true });
  const { index } = await renderPool(dir, poolCount, seed);
  const { bin } = readPool(dir);
  const jpgs = index.offsets.map((o, i) => bin.subarray(o, o + index.sizes[i]!));
  const caption = captionMaker(index);
  const shards = path.join(dir, 'shards');
  mkdirSync(shards, { recursive: true });
  let bytes = 0;
  let shardCount = 0;
  for (let start = 0; start < spec.pairs; start += PER_SHARD) {
    const fd = openSync(path.join(shards, `${String(shardCount).padStart(5, '0')}.tar`), 'w');
    let parts: Buffer[] = [];
    let size = 0;
    const flush = () => {
      const b = Buffer.concat(parts);
      writeSync(fd, b);
      bytes += b.length;
      parts = [];
      size = 0;
    };
    const member = (name: string, data: Buffer) => {
      parts.push(tarHeader(name, data.length), data, pad(data.length));
      size += 1024 + data.length;
    };
    for (let p = start; p < Math.min(spec.pairs, start + PER_SHARD); p++) {
      const key = pairKey(p);
      const text = caption(p);
      const jpg = jpgs[sceneOf(p, poolCount, seed)]!;
      member(`${key}.jpg`, jpg);
      member(
        `${key}.json`,
        Buffer.from(
          JSON.stringify({
            caption: text,
            url: `https://scale.example/${key}.jpg`,
            key,
            status: 'success',
            width: IMAGE_SIZE,
            height: IMAGE_SIZE,
            original_width: IMAGE_SIZE * 8,
            original_height: IMAGE_SIZE * 8,
            sha256: null,
          }),
        ),
      );
      member(`${key}.txt`, Buffer.from(text));
      if (size > 1 << 20) flush();
    }
    parts.push(Buffer.alloc(1024));
    flush();
    closeSync(fd);
    shardCount++;
  }
  return {
    shards,
    pairs: spec.pairs,
    shardCount,
    pool: poolCount,
    poolFile: path.join(dir, 'pool.bin'),
    bytes,
  };
}

export interface ClusterEmbeddings {
  image: string;
  text: string;
  keys: string;
  rows: number;
  imageDims: number;
  textDims: number;
}

/** Gaussian noise (Box–Muller) from a seeded stream. */
function noise(rng: () => number, out: Float32Array, scale: number): void {
  for (let i = 0; i < out.length; i += 2) {
    const m = Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-12))) * scale;
    const a = 2 * Math.PI * rng();
    out[i] = m * Math.cos(a);
    if (i + 1 < out.length) out[i + 1] = m * Math.sin(a);
  }
}

export async function clusterEmbeddings(
  dataDir: string,
  workspace: string,
  datasetId: number,
  sample: EmbedSample,
): Promise<ClusterEmbeddings> {
  const { bin, index } = readPool(dataDir);
  const encoder = createBuiltinEncoder();
  const poolVecs: Float32Array[] = [];
  for (let i = 0; i < index.offsets.length; i += 64) {
    const imgs = index.offsets.slice(i, i + 64).map((o, j) => bin.subarray(o, o + index.sizes[i + j]!));
    for (const r of await encoder.encodeImages(imgs)) {
      if (r instanceof ImageError) throw r;
      poolVecs.push(r.global);
    }
  }
  const imageDims = encoder.imageDims;
  const textDims = encoder.textDims;
  const ctx = openCore(workspace);
  try {
    const rows = () =>
      ctx.db
        .prepare(`SELECT seq, key, caption FROM pairs WHERE dataset_id = ? AND status = 'ok' ORDER BY seq`)
        .raw(true)
        .iterate(datasetId) as IterableIterator<[number, string, string | null]>;
    // The IDF the embed job learns: every ok caption.
    const df = new DocumentFrequencies();
    let count = 0;
    for (const [seq, , cap] of rows()) {
      df.add(cap ?? '');
      if (!inEmbedSample(seq, sample)) count++;
    }
    const out = {
      image: path.join(dataDir, 'cluster_img_emb.npy'),
      text: path.join(dataDir, 'cluster_text_emb.npy'),
      keys: path.join(dataDir, 'cluster_keys.txt'),
    };
    const img = new NpyWriter(out.image, count, imageDims, '<f2');
    const txt = new NpyWriter(out.text, count, textDims, '<f2');
    const keysFd = openSync(out.keys, 'w');
    const CHUNK = 4096;
    const ib = new Float32Array(CHUNK * imageDims);
    const tb = new Float32Array(CHUNK * textDims);
    const nz = new Float32Array(imageDims);
    let k = 0;
    let keyText = '';
    const rng = rngFor(index.seed, 'cluster-noise');
    const flush = () => {
      img.append(ib.subarray(0, k * imageDims));
      txt.append(tb.subarray(0, k * textDims));
      writeSync(keysFd, keyText);
      k = 0;
      keyText = '';
    };
    for (const [seq, key, cap] of rows()) {
      if (inEmbedSample(seq, sample)) continue;
      const v = poolVecs[sceneOf(pairOfKey(key), poolVecs.length, index.seed)]!;
      let norm = 0;
      for (let d = 0; d < imageDims; d++) norm += v[d]! * v[d]!;
      // Small noise: ~5 % of the vector's length, as another machine's decoder might add.
      noise(rng, nz, (0.05 * Math.sqrt(norm)) / Math.sqrt(imageDims));
      for (let d = 0; d < imageDims; d++) ib[k * imageDims + d] = v[d]! + nz[d]!;
      tb.set(embedText(cap ?? '', df), k * textDims);
      keyText += `${key}\n`;
      if (++k === CHUNK) flush();
    }
    flush();
    img.close();
    txt.close();
    closeSync(keysFd);
    return { ...out, rows: count, imageDims, textDims };
  } finally {
    await closeCore(ctx);
  }
}
