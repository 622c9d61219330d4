// Features TL;DR clusters on. Input: per image, the sequence of codebook indices of its
// T patch tokens (row-major N×T, Int32 or Uint16).
import type { Matrix } from '../compute/types';
import type { PcaFn } from './pca';
import { pcaTransform } from './pca';
import { l2NormalizeRows } from './vectors';

export type CodeArray = Int32Array | Uint16Array;

function checkCodes(codes: CodeArray, tokens: number): number {
  if (!(tokens > 0) || codes.length % tokens !== 0) {
    throw new RangeError(`codes has ${codes.length} entries, not a multiple of T = ${tokens}`);
  }
  return codes.length / tokens;
}

export interface CodeSequenceOptions {
  /** Output dims; faithful = min(256, T). */
  dims?: number;
  /** Eigenvalue power; faithful = −0.5 (whitening). */
  eigenPower?: number;
  /** The PCA to use (default: the pure one in pca.ts; the ONNX one at scale). */
  pca?: PcaFn;
  maxFitRows?: number;
  seed?: number;
}

/**
 * Faithful TL;DR features: the code-index sequence taken as a numeric vector (index values,
 * not one-hot — that is what the authors' code does), PCA-whitened to min(256, T) dims,
 * L2-normalised.
 */
export function codeSequenceFeatures(
  codes: CodeArray,
  tokens: number,
  opts: CodeSequenceOptions = {},
): Matrix {
  const rows = checkCodes(codes, tokens);
  const x: Matrix = { data: Float32Array.from(codes), rows, cols: tokens };
  const pca = opts.pca ?? pcaTransform;
  const projected = pca(x, {
    dims: Math.min(opts.dims ?? 256, tokens),
    eigenPower: opts.eigenPower ?? -0.5,
    ...(opts.maxFitRows !== undefined ? { maxFitRows: opts.maxFitRows } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
  });
  return l2NormalizeRows(projected);
}

/** Inverse document frequency of each code: log((1 + N) / (1 + df)) + 1 (smoothed, never 0). */
export function codeIdf(codes: CodeArray, tokens: number, codebookSize: number): Float32Array {
  const rows = checkCodes(codes, tokens);
  const df = new Float64Array(codebookSize);
  const seenAt = new Int32Array(codebookSize).fill(-1);
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < tokens; t++) {
      const c = codes[r * tokens + t] as number;
      if (c < 0 || c >= codebookSize) throw new RangeError(`code ${c} outside codebook of ${codebookSize}`);
      if (seenAt[c] !== r) {
        seenAt[c] = r;
        df[c]! += 1;
      }
    }
  }
  const idf = new Float32Array(codebookSize);
  for (let c = 0; c < codebookSize; c++) idf[c] = Math.log((1 + rows) / (1 + (df[c] as number))) + 1;
  return idf;
}

export interface TfidfOptions {
  /** IDF from `codeIdf` over the whole dataset; computed from `codes` when omitted. */
  idf?: Float32Array;
  /** tf = 1 + log(count) instead of count / T. */
  sublinear?: boolean;
}

/**
 * Better mode: TF-IDF bag-of-codes histogram (N×K), L2-normalised. Order-free, so two images
 * with the same content shifted by a patch land together (the index sequence does not).
 * For big N call it on chunks of rows with a shared `idf`.
 */
export function tfidfBagOfCodes(
  codes: CodeArray,
  tokens: number,
  codebookSize: number,
  opts: TfidfOptions = {},
): Matrix {
  const rows = checkCodes(codes, tokens);
  const idf = opts.idf ?? codeIdf(codes, tokens, codebookSize);
  if (idf.length !== codebookSize) throw new RangeError('idf length differs from codebook size');
  const out = new Float32Array(rows * codebookSize);
  for (let r = 0; r < rows; r++) {
    const o = r * codebookSize;
    for (let t = 0; t < tokens; t++) {
      const c = codes[r * tokens + t] as number;
      if (c < 0 || c >= codebookSize) throw new RangeError(`code ${c} outside codebook of ${codebookSize}`);
      out[o + c]! += 1;
    }
    for (let c = 0; c < codebookSize; c++) {
      const n = out[o + c] as number;
      if (n === 0) continue;
      const tf = opts.sublinear ? 1 + Math.log(n) : n / tokens;
      out[o + c] = tf * (idf[c] as number);
    }
  }
  return l2NormalizeRows({ data: out, rows, cols: codebookSize });
}

/** Better mode: mean of the code vectors of an image's tokens (K×D codebook), L2-normalised. */
export function pooledCodeEmbedding(codes: CodeArray, tokens: number, codebook: Matrix): Matrix {
  const rows = checkCodes(codes, tokens);
  const d = codebook.cols;
  const out = new Float32Array(rows * d);
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    for (let t = 0; t < tokens; t++) {
      const c = codes[r * tokens + t] as number;
      if (c < 0 || c >= codebook.rows) throw new RangeError(`code ${c} outside codebook of ${codebook.rows}`);
      const oc = c * d;
      for (let k = 0; k < d; k++) out[o + k]! += codebook.data[oc + k] as number;
    }
  }
  return l2NormalizeRows({ data: out, rows, cols: d });
}

/** Better mode with a CLIP-family model: its pooled image embeddings, L2-normalised (a copy). */
export function pooledEmbeddingFeatures(embeddings: Matrix): Matrix {
  return l2NormalizeRows({
    data: Float32Array.from(embeddings.data),
    rows: embeddings.rows,
    cols: embeddings.cols,
  });
}
