// Image→text and text→image retrieval over a held-out set, by cosine, in row blocks.
// Row i of the image and text matrices is held-out pair i. With `groups` (pairs sharing an
// image, e.g. COCO's five captions), the standard protocol: image queries are the distinct
// images, a text is correct for any image of its group, and the image gallery is deduplicated.
// Ties with a wrong item count against the query (a constant embedding scores 0, not 100 %).
import type { Matrix } from '../compute/types';
import { jsKernels, type LinearKernels } from '../methods/kernels';
import { blockRows, l2NormalizeRows, rowDot } from '../methods/vectors';

export interface RetrievalRanks {
  /** Per distinct image: 0-based rank of its best correct text. */
  i2tRanks: Int32Array;
  /** Per text: 0-based rank of its image. */
  t2iRanks: Int32Array;
}

export interface RetrievalOptions {
  groups?: ArrayLike<number>;
  maxBlockFloats?: number;
  /** Where the similarity blocks are computed (default plain JS). */
  kernels?: LinearKernels;
}

function normalisedCopy(m: Matrix): Matrix {
  return l2NormalizeRows({ data: Float32Array.from(m.data), rows: m.rows, cols: m.cols });
}

export async function retrievalRanks(
  image: Matrix,
  text: Matrix,
  opts: RetrievalOptions = {},
): Promise<RetrievalRanks> {
  const kernels = opts.kernels ?? jsKernels;
  const h = image.rows;
  if (text.rows !== h) throw new RangeError(`retrieval: ${h} images vs ${text.rows} texts`);
  if (image.cols !== text.cols) throw new RangeError('retrieval: image and text embeddings differ in width');
  const groupOf = new Int32Array(h);
  const uniqueRows: number[] = [];
  const imageOfGroup = new Map<number, number>(); // group → position in uniqueRows
  for (let i = 0; i < h; i++) {
    const g = opts.groups ? (opts.groups[i] as number) : i;
    let u = imageOfGroup.get(g);
    if (u === undefined) {
      u = uniqueRows.length;
      imageOfGroup.set(g, u);
      uniqueRows.push(i);
    }
    groupOf[i] = u;
  }
  const U = uniqueRows.length;
  const img = normalisedCopy(image);
  const txt = normalisedCopy(text);

  // Similarity of each text to its own image (for t2i).
  const own = new Float32Array(h);
  for (let t = 0; t < h; t++) own[t] = rowDot(img, uniqueRows[groupOf[t] as number] as number, txt, t);

  const i2tRanks = new Int32Array(U);
  const t2iRanks = new Int32Array(h);
  const allTexts = Int32Array.from({ length: h }, (_, t) => t);
  const block = Math.max(1, Math.min(U, blockRows(h, opts.maxBlockFloats)));
  let buf: Float32Array = new Float32Array(0);
  for (let u0 = 0; u0 < U; u0 += block) {
    const u1 = Math.min(U, u0 + block);
    const rows = uniqueRows.slice(u0, u1);
    if (buf.length < rows.length * h) buf = new Float32Array(rows.length * h);
    buf = await kernels.dotBlock(img, rows, txt, allTexts, buf);
    for (let r = 0; r < rows.length; r++) {
      const u = u0 + r;
      const o = r * h;
      let best = -Infinity;
      for (let t = 0; t < h; t++)
        if (groupOf[t] === u && (buf[o + t] as number) > best) best = buf[o + t] as number;
      let rank = 0;
      for (let t = 0; t < h; t++) {
        const s = buf[o + t] as number;
        if (groupOf[t] !== u) {
          if (s >= best) rank++;
          if (s >= (own[t] as number)) t2iRanks[t]! += 1;
        }
      }
      i2tRanks[u] = rank;
    }
  }
  return { i2tRanks, t2iRanks };
}

/** Fraction of queries whose rank is < k. */
export function recallAtK(ranks: ArrayLike<number>, k: number): number {
  if (ranks.length === 0) return NaN;
  let hit = 0;
  for (let q = 0; q < ranks.length; q++) if ((ranks[q] as number) < k) hit++;
  return hit / ranks.length;
}

/** 0/1 per query: rank < k (the samples the bootstrap resamples). */
export function hitsAtK(ranks: ArrayLike<number>, k: number): Float64Array {
  const out = new Float64Array(ranks.length);
  for (let q = 0; q < ranks.length; q++) out[q] = (ranks[q] as number) < k ? 1 : 0;
  return out;
}

export interface RecallTable {
  ks: number[];
  i2t: number[];
  t2i: number[];
  /** Σ of all recalls, in percent points (the usual "RSUM"). */
  rsum: number;
}

export function recallTable(r: RetrievalRanks, ks: number[] = [1, 5, 10]): RecallTable {
  const i2t = ks.map((k) => recallAtK(r.i2tRanks, k));
  const t2i = ks.map((k) => recallAtK(r.t2iRanks, k));
  const rsum = 100 * [...i2t, ...t2i].reduce((a, b) => a + b, 0);
  return { ks, i2t, t2i, rsum };
}
