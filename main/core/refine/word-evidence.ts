// How strongly each vocabulary word is evidenced by an image's patch codes, from the
// learned code–word PPMI (features/builtin/association.ts). Two views per word:
//   mean  PPMI averaged over all patches: broad evidence (backgrounds, scenes);
//   top   PPMI averaged over the word's best `topPatches` patches: local evidence (a
//         drawn object covers a few patches, so its word shows there and nowhere else).
// Computed over the image's distinct codes with their counts: backgrounds repeat a few
// codes over most of the grid, so this is much cheaper than patch by patch.
import type { CodeWordAssociation } from '../features/builtin/association';

/** Patches the local evidence averages over (a small object covers about this many of 256). */
export const DEFAULT_TOP_PATCHES = 8;

export interface CodeHistogram {
  /** Distinct valid codes of the image. */
  codes: Int32Array;
  /** Patches with each code. */
  counts: Int32Array;
  /** Valid patches in all. */
  patches: number;
}

/** Distinct codes (0 ≤ c < k; −1 and out-of-range codes are skipped) with their counts. */
export function codeHistogram(codes: ArrayLike<number>, k: number): CodeHistogram {
  const seen = new Map<number, number>();
  let patches = 0;
  for (let t = 0; t < codes.length; t++) {
    const c = codes[t]!;
    if (!(c >= 0 && c < k)) continue;
    patches++;
    seen.set(c, (seen.get(c) ?? 0) + 1);
  }
  const keys = [...seen.keys()].sort((a, b) => a - b);
  return {
    codes: Int32Array.from(keys),
    counts: Int32Array.from(keys, (c) => seen.get(c)!),
    patches,
  };
}

export interface WordEvidence {
  /** Per word: mean PPMI over the image's patches. */
  mean: Float32Array;
  /** Per word: mean PPMI over its best `topPatches` patches. */
  top: Float32Array;
}

/**
 * Mean and top-patch evidence of every vocabulary word for one image. Writes into `out`
 * when given (reused across images by callers that score many).
 */
export function wordEvidence(
  a: CodeWordAssociation,
  codes: ArrayLike<number>,
  topPatches = DEFAULT_TOP_PATCHES,
  out?: WordEvidence,
): WordEvidence {
  const V = a.words.length;
  const mean = out?.mean ?? new Float32Array(V);
  const top = out?.top ?? new Float32Array(V);
  mean.fill(0);
  top.fill(0);
  const h = codeHistogram(codes, a.k);
  if (h.patches === 0) return { mean, top };
  const k = Math.max(1, Math.min(topPatches, h.patches));
  // Per word, the best codes seen so far (value, patches), sorted descending, holding just
  // enough codes to cover k patches. Codes outer, words inner: rows of the weights are
  // contiguous, and most codes fail the first comparison.
  const bufV = new Float32Array(V * k);
  const bufC = new Int32Array(V * k);
  const len = new Int32Array(V);
  const held = new Int32Array(V);
  for (let j = 0; j < h.codes.length; j++) {
    const row = h.codes[j]! * V;
    const count = h.counts[j]!;
    for (let w = 0; w < V; w++) {
      const v = a.weights[row + w]!;
      mean[w]! += v * count;
      const o = w * k;
      let n = len[w]!;
      if (held[w]! >= k && v <= bufV[o + n - 1]!) continue;
      let i = n;
      while (i > 0 && bufV[o + i - 1]! < v) i--;
      // Shift down (the buffer never holds more than k entries: each covers ≥ 1 patch).
      if (n === k) held[w]! -= bufC[o + k - 1]!; // the last entry falls out
      const last = Math.min(n, k - 1);
      for (let q = last; q > i; q--) {
        bufV[o + q] = bufV[o + q - 1]!;
        bufC[o + q] = bufC[o + q - 1]!;
      }
      bufV[o + i] = v;
      bufC[o + i] = count;
      n = Math.min(n + 1, k);
      held[w]! += count;
      // Drop trailing entries not needed to cover k patches.
      while (n > 1 && held[w]! - bufC[o + n - 1]! >= k) {
        held[w]! -= bufC[o + n - 1]!;
        n--;
      }
      len[w] = n;
    }
  }
  for (let w = 0; w < V; w++) {
    mean[w]! /= h.patches;
    const o = w * k;
    let left = k;
    let s = 0;
    for (let i = 0; i < len[w]! && left > 0; i++) {
      const take = Math.min(left, bufC[o + i]!);
      s += take * bufV[o + i]!;
      left -= take;
    }
    top[w] = s / k;
  }
  return { mean, top };
}

/** Indices of the patches with the highest PPMI for word `w` (ties: earlier patch first). */
export function topPatchesOf(
  a: CodeWordAssociation,
  codes: ArrayLike<number>,
  w: number,
  count = DEFAULT_TOP_PATCHES,
): number[] {
  const V = a.words.length;
  const scored: Array<[number, number]> = [];
  for (let t = 0; t < codes.length; t++) {
    const c = codes[t]!;
    if (c >= 0 && c < a.k) scored.push([t, a.weights[c * V + w]!]);
  }
  scored.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
  return scored.slice(0, count).map(([t]) => t);
}
