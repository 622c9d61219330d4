// Deriving TL;DR's two knobs (stride N, alignment fraction a) from a budget, and back.
// Kept ≈ a · Σ⌈n_c/N⌉ when alignment is independent of dataset order (the stride walks
// dataset order). Authors: N = 2, a = ½ → ≈ 25 %.

export interface TldrPlan {
  stride: number;
  /** 1 when there is no alignment score. */
  alignmentFraction: number;
  /** Σ ⌈n_c / N⌉ over the clusters. */
  strideCount: number;
  /** round(a · strideCount). */
  expected: number;
  /** Where N came from ("given", "derived from budget", "faithful default"). */
  strideSource: string;
  fractionSource: string;
}

export interface PlanInput {
  target?: number | undefined;
  hasAlignment: boolean;
  stride?: number | undefined;
  alignmentFraction?: number | undefined;
  /** Preferred alignment fraction when deriving both knobs (authors: 0.5). */
  preferredFraction?: number;
}

/** Σ ⌈n_c / N⌉. */
export function strideCount(sizes: ArrayLike<number>, stride: number): number {
  let s = 0;
  for (let c = 0; c < sizes.length; c++) s += Math.ceil((sizes[c] as number) / stride);
  return s;
}

function maxSize(sizes: ArrayLike<number>): number {
  let m = 1;
  for (let c = 0; c < sizes.length; c++) m = Math.max(m, sizes[c] as number);
  return m;
}

/** The N (1..max cluster size) whose f(N) is closest to `goal`; f must be non-increasing in N. */
function closestStride(sizes: ArrayLike<number>, goal: number, f: (N: number) => number): number {
  const top = maxSize(sizes);
  let best = 1;
  let bestErr = Math.abs(f(1) - goal);
  for (let N = 2; N <= top; N++) {
    const v = f(N);
    const err = Math.abs(v - goal);
    if (err < bestErr) {
      best = N;
      bestErr = err;
    }
    if (v < goal) break; // f only decreases from here
  }
  return best;
}

function checkStride(N: number): void {
  if (!(Number.isInteger(N) && N >= 1)) throw new RangeError(`stride N must be an integer ≥ 1, got ${N}`);
}

function checkFraction(a: number): void {
  if (!(a > 0 && a <= 1)) throw new RangeError(`alignment fraction must be in (0, 1], got ${a}`);
}

export function planTldr(sizes: ArrayLike<number>, input: PlanInput): TldrPlan {
  const { target, hasAlignment } = input;
  const preferred = input.preferredFraction ?? 0.5;
  if (input.stride !== undefined) checkStride(input.stride);
  if (input.alignmentFraction !== undefined) checkFraction(input.alignmentFraction);
  let N: number;
  let a: number;
  let strideSource: string;
  let fractionSource: string;

  if (!hasAlignment) {
    a = 1;
    fractionSource = 'no alignment score: no intersection';
    if (input.stride !== undefined) {
      N = input.stride;
      strideSource = 'given';
    } else if (target !== undefined) {
      N = closestStride(sizes, target, (k) => strideCount(sizes, k));
      strideSource = 'derived: Σ⌈n_c/N⌉ closest to the budget';
    } else {
      N = 2;
      strideSource = 'faithful default';
    }
  } else if (input.stride !== undefined && input.alignmentFraction !== undefined) {
    N = input.stride;
    a = input.alignmentFraction;
    strideSource = 'given';
    fractionSource = 'given';
  } else if (target === undefined) {
    N = input.stride ?? 2;
    a = input.alignmentFraction ?? 0.5;
    strideSource = input.stride !== undefined ? 'given' : 'faithful default';
    fractionSource = input.alignmentFraction !== undefined ? 'given' : 'faithful default';
  } else if (input.stride !== undefined) {
    N = input.stride;
    a = Math.min(1, target / Math.max(1, strideCount(sizes, N)));
    strideSource = 'given';
    fractionSource = 'derived: budget / Σ⌈n_c/N⌉';
  } else if (input.alignmentFraction !== undefined) {
    a = input.alignmentFraction;
    N = closestStride(sizes, target, (k) => a * strideCount(sizes, k));
    strideSource = 'derived: a·Σ⌈n_c/N⌉ closest to the budget';
    fractionSource = 'given';
  } else {
    // Both free: the N whose implied fraction budget/Σ⌈n_c/N⌉ is closest to the preferred
    // fraction without exceeding 1; then the fraction that hits the budget exactly.
    const top = maxSize(sizes);
    N = 1;
    let bestErr = Infinity;
    for (let k = 1; k <= top; k++) {
      const s = strideCount(sizes, k);
      const implied = target / Math.max(1, s);
      if (implied > 1) break;
      const err = Math.abs(implied - preferred);
      if (err < bestErr) {
        bestErr = err;
        N = k;
      }
    }
    a = Math.min(1, target / Math.max(1, strideCount(sizes, N)));
    strideSource = `derived: implied fraction closest to ${preferred}`;
    fractionSource = 'derived: budget / Σ⌈n_c/N⌉';
  }
  const sc = strideCount(sizes, N);
  return {
    stride: N,
    alignmentFraction: a,
    strideCount: sc,
    expected: Math.round(a * sc),
    strideSource,
    fractionSource,
  };
}
