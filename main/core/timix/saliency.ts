// Text-aware patch saliency on the mixing grid (METHODS.md, TiMix step 1): how relevant
// each patch is to the pair's own caption, z-scored over the image's patches. Pure
// functions; saliency-source.ts feeds them from the feature files or a CLIP model.
//   builtin  the dataset's code–word association (features/builtin/association.ts)
//   CLIP     cosine of each projected patch token with the caption's text embedding,
//            resampled from the model's patch grid to the mixing grid
import { patchRelevance, type CodeWordAssociation } from '../features/builtin/association';
import { MIX_GRID } from './mixing';

/** (v − mean) / sd over all values; all zeros when the values do not vary (a flat map). */
export function zScore(values: ArrayLike<number>): Float32Array {
  const n = values.length;
  const out = new Float32Array(n);
  if (n === 0) return out;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (values[i]! - mean) ** 2;
  const sd = Math.sqrt(v / n);
  // Relative threshold: float noise around a constant is not a signal.
  if (!(sd > 1e-6 * Math.max(1, Math.abs(mean)))) return out;
  for (let i = 0; i < n; i++) out[i] = (values[i]! - mean) / sd;
  return out;
}

/** True when a z-scored map carries no information (every value 0). */
export function isFlat(map: ArrayLike<number>): boolean {
  for (let i = 0; i < map.length; i++) if (map[i] !== 0) return false;
  return true;
}

/**
 * Builtin saliency: the association's per-patch relevance to the caption, z-scored.
 * `codes` are the image's grid² patch codes (row-major); null when the image has no
 * codes (it failed to encode). A caption without a known word gives a flat map.
 */
export function builtinSaliency(
  a: CodeWordAssociation,
  codes: ArrayLike<number>,
  caption: string,
  grid = MIX_GRID,
): Float32Array | null {
  if (codes.length !== grid * grid)
    throw new RangeError(`expected ${grid}×${grid} patch codes, got ${codes.length}`);
  let any = false;
  for (let t = 0; t < codes.length && !any; t++) any = codes[t]! >= 0;
  if (!any) return null;
  return zScore(patchRelevance(a, codes, caption));
}

/**
 * Bilinear resampling of a rows × cols map to out × out, sampling at pixel centres
 * (align_corners = false, edges clamped): a 7 × 7 or 14 × 14 ViT grid onto 16 × 16.
 */
export function resampleBilinear(
  map: ArrayLike<number>,
  shape: readonly [number, number],
  out = MIX_GRID,
): Float32Array {
  const [rows, cols] = shape;
  if (map.length !== rows * cols) throw new RangeError(`expected ${rows}×${cols} values, got ${map.length}`);
  const res = new Float32Array(out * out);
  const axis = (n: number) =>
    Array.from({ length: out }, (_, i) => {
      const x = Math.min(n - 1, Math.max(0, ((i + 0.5) * n) / out - 0.5));
      const i0 = Math.floor(x);
      return { i0, i1: Math.min(n - 1, i0 + 1), f: x - i0 };
    });
  const ys = axis(rows);
  const xs = axis(cols);
  for (let r = 0; r < out; r++) {
    const y = ys[r]!;
    for (let c = 0; c < out; c++) {
      const x = xs[c]!;
      const top = map[y.i0 * cols + x.i0]! * (1 - x.f) + map[y.i0 * cols + x.i1]! * x.f;
      const bottom = map[y.i1 * cols + x.i0]! * (1 - x.f) + map[y.i1 * cols + x.i1]! * x.f;
      res[r * out + c] = top * (1 - y.f) + bottom * y.f;
    }
  }
  return res;
}

/** Cosine of each of `count` dim-wide rows of `tokens` with `text` (0 for a zero row). */
export function tokenCosines(tokens: Float32Array, dim: number, text: Float32Array): Float32Array {
  if (text.length !== dim) throw new RangeError(`text embedding has ${text.length} dims, tokens ${dim}`);
  const count = tokens.length / dim;
  if (!Number.isInteger(count)) throw new RangeError(`${tokens.length} values is not a whole number of rows`);
  let tn = 0;
  for (let k = 0; k < dim; k++) tn += text[k]! * text[k]!;
  tn = Math.sqrt(tn);
  const out = new Float32Array(count);
  for (let t = 0; t < count; t++) {
    let d = 0;
    let n = 0;
    for (let k = 0; k < dim; k++) {
      const v = tokens[t * dim + k]!;
      d += v * text[k]!;
      n += v * v;
    }
    out[t] = n > 0 && tn > 0 ? d / (Math.sqrt(n) * tn) : 0;
  }
  return out;
}

/**
 * CLIP-family saliency: cosine of each projected patch token (row-major over `grid`)
 * with the caption's text embedding, resampled to the mixing grid, z-scored.
 */
export function clipSaliency(
  projected: Float32Array,
  grid: readonly [number, number],
  text: Float32Array,
  out = MIX_GRID,
): Float32Array {
  const cos = tokenCosines(projected, text.length, text);
  if (cos.length !== grid[0] * grid[1])
    throw new RangeError(`${cos.length} patch tokens for a ${grid[0]}×${grid[1]} grid`);
  return zScore(resampleBilinear(cos, grid, out));
}
