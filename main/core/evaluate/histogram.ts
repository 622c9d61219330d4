// Fixed-bin histograms (same edges before and after a selection, so the bars compare).

export interface Histogram {
  /** bins + 1 edges; bin b is [edges[b], edges[b+1]), the last bin includes its right edge. */
  edges: Float64Array;
  counts: Int32Array;
  below: number;
  above: number;
  missing: number;
  total: number;
}

export interface HistogramOptions {
  min?: number;
  max?: number;
  bins?: number;
}

/** Default range [−1, 1] (cosine), 40 bins. */
export function histogram(
  values: ArrayLike<number>,
  opts: HistogramOptions = {},
  mask?: Uint8Array,
): Histogram {
  const min = opts.min ?? -1;
  const max = opts.max ?? 1;
  const bins = opts.bins ?? 40;
  if (!(max > min) || !(bins >= 1)) throw new RangeError('histogram needs max > min and bins ≥ 1');
  const edges = Float64Array.from({ length: bins + 1 }, (_, b) => min + ((max - min) * b) / bins);
  const counts = new Int32Array(bins);
  let below = 0;
  let above = 0;
  let missing = 0;
  let total = 0;
  const width = (max - min) / bins;
  for (let i = 0; i < values.length; i++) {
    if (mask && !mask[i]) continue;
    total++;
    const v = values[i] as number;
    if (Number.isNaN(v)) missing++;
    else if (v < min) below++;
    else if (v > max) above++;
    else counts[Math.min(bins - 1, Math.floor((v - min) / width))]! += 1;
  }
  return { edges, counts, below, above, missing, total };
}

/** Range for fixed bins from the full set's scores (padded, rounded to `step`), so all runs share it. */
export function fixedRange(values: ArrayLike<number>, step = 0.05): { min: number; max: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return { min: -1, max: 1 };
  const min = Math.floor(lo / step) * step;
  let max = Math.ceil(hi / step) * step;
  if (max <= min) max = min + step;
  return { min, max };
}

/** Alignment histogram before (the base pool) and after (kept), on the same bins. */
export function beforeAfterHistograms(
  values: ArrayLike<number>,
  kept: Uint8Array,
  opts: HistogramOptions = {},
  base?: Uint8Array,
): { before: Histogram; after: Histogram } {
  return { before: histogram(values, opts, base), after: histogram(values, opts, kept) };
}
