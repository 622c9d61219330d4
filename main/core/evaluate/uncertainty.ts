// Noise on every proxy number, and comparisons that refuse to call noise a win.
import { mulberry32 } from '../methods/rng';

export interface Estimate {
  value: number;
  low: number;
  high: number;
  /** How the interval was made: bootstrap over queries, spread over seeds, or a normal approximation. */
  method: 'bootstrap' | 'seeds' | 'normal';
  /** Samples behind it (queries or seeds). */
  n: number;
  level: number;
}

export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
  level?: number;
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] as number;
  return x.length ? s / x.length : NaN;
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

/** Percentile bootstrap interval of the mean of `samples` (e.g. 0/1 hits per query). */
export function bootstrapMean(samples: ArrayLike<number>, opts: BootstrapOptions = {}): Estimate {
  const B = opts.resamples ?? 1000;
  const level = opts.level ?? 0.95;
  const n = samples.length;
  const value = mean(samples);
  if (n === 0) return { value: NaN, low: NaN, high: NaN, method: 'bootstrap', n, level };
  const rand = mulberry32(opts.seed ?? 0);
  const stats = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += samples[Math.floor(rand() * n)] as number;
    stats[b] = s / n;
  }
  stats.sort();
  const alpha = (1 - level) / 2;
  return {
    value,
    low: quantile(stats, alpha),
    high: quantile(stats, 1 - alpha),
    method: 'bootstrap',
    n,
    level,
  };
}

// Two-sided 95 % Student-t quantiles by degrees of freedom.
const T975: Record<number, number> = {
  1: 12.706,
  2: 4.303,
  3: 3.182,
  4: 2.776,
  5: 2.571,
  6: 2.447,
  7: 2.365,
  8: 2.306,
  9: 2.262,
  10: 2.228,
  11: 2.201,
  12: 2.179,
  13: 2.16,
  14: 2.145,
  15: 2.131,
  16: 2.12,
  17: 2.11,
  18: 2.101,
  19: 2.093,
  20: 2.086,
  25: 2.06,
  30: 2.042,
  40: 2.021,
  60: 2.0,
  120: 1.98,
};

function t975(df: number): number {
  if (T975[df] !== undefined) return T975[df] as number;
  const keys = Object.keys(T975)
    .map(Number)
    .sort((a, b) => a - b);
  for (const k of keys) if (k >= df) return T975[k] as number; // conservative: next tabulated df above
  return 1.96;
}

/** Mean ± t·s/√n over repeated runs (≥ 2 seeds; ≥ 5 recommended). 95 % only. */
export function seedInterval(values: ArrayLike<number>): Estimate {
  const n = values.length;
  const value = mean(values);
  if (n < 2) return { value, low: NaN, high: NaN, method: 'seeds', n, level: 0.95 };
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((values[i] as number) - value) ** 2;
  const half = (t975(n - 1) * Math.sqrt(ss / (n - 1))) / Math.sqrt(n);
  return { value, low: value - half, high: value + half, method: 'seeds', n, level: 0.95 };
}

export type Verdict = 'a better' | 'b better' | 'no significant difference';

export interface Comparison {
  verdict: Verdict;
  /** a − b with its interval. */
  difference: Estimate;
  higherIsBetter: boolean;
}

function verdictOf(diff: Estimate, higherIsBetter: boolean): Verdict {
  if (!(diff.low > 0) && !(diff.high < 0)) return 'no significant difference'; // includes NaN intervals
  const aHigher = diff.low > 0;
  return aHigher === higherIsBetter ? 'a better' : 'b better';
}

/**
 * Paired comparison on the same held-out queries: bootstrap of mean(a_q − b_q). Preferred:
 * both runs are judged on the same pairs, so the shared query difficulty cancels.
 */
export function comparePaired(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  opts: BootstrapOptions & { higherIsBetter?: boolean } = {},
): Comparison {
  if (a.length !== b.length) throw new RangeError('comparePaired: runs have different query counts');
  const d = new Float64Array(a.length);
  for (let q = 0; q < a.length; q++) d[q] = (a[q] as number) - (b[q] as number);
  const difference = bootstrapMean(d, opts);
  const higherIsBetter = opts.higherIsBetter ?? true;
  return { verdict: verdictOf(difference, higherIsBetter), difference, higherIsBetter };
}

/**
 * Unpaired comparison from two intervals (normal approximation: each half-width / z is its
 * standard error). Use when only the summaries are stored.
 */
export function compareEstimates(
  a: Estimate,
  b: Estimate,
  opts: { higherIsBetter?: boolean } = {},
): Comparison {
  const z = 1.959964;
  const seA = (a.high - a.low) / (2 * z);
  const seB = (b.high - b.low) / (2 * z);
  const se = Math.sqrt(seA * seA + seB * seB);
  const value = a.value - b.value;
  const difference: Estimate = {
    value,
    low: value - z * se,
    high: value + z * se,
    method: 'normal',
    n: Math.min(a.n, b.n),
    level: 0.95,
  };
  const higherIsBetter = opts.higherIsBetter ?? true;
  return { verdict: verdictOf(difference, higherIsBetter), difference, higherIsBetter };
}

/** Wilson 95 % interval for a proportion (e.g. a near-duplicate rate estimated on a sample). */
export function proportionInterval(successes: number, n: number): Estimate {
  if (n === 0) return { value: NaN, low: NaN, high: NaN, method: 'normal', n, level: 0.95 };
  const z = 1.959964;
  const p = successes / n;
  const den = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / den;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / den;
  return {
    value: p,
    low: Math.max(0, centre - half),
    high: Math.min(1, centre + half),
    method: 'normal',
    n,
    level: 0.95,
  };
}
