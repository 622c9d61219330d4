// A two-feature logistic regression, fitted per vocabulary word: turns a word's
// standardised evidence into P(word in caption), which is comparable across words
// (a rare synonym with unusual evidence stays less likely than the common word).

/** [intercept, coefficient of x1, coefficient of x2]. */
export type Logistic2 = [number, number, number];

export function logistic2(b: ArrayLike<number>, x1: number, x2: number, offset = 0): number {
  return b[offset]! + b[offset + 1]! * x1 + b[offset + 2]! * x2;
}

/**
 * Logistic regression of `y` (0/1) on [1, x1, x2] by Newton's method with step halving
 * (nearly separable words, common for objects, otherwise overshoot), and an L2 penalty
 * `ridge` on the two slopes so separable or constant data still give finite coefficients.
 */
export function fitLogistic2(
  x1: ArrayLike<number>,
  x2: ArrayLike<number>,
  y: ArrayLike<number>,
  ridge = 1,
): Logistic2 {
  const n = y.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i]!;
  let b: Logistic2 = [Math.log((pos + 0.5) / (n - pos + 0.5)), 0, 0];
  // Penalised log-likelihood.
  const objective = (c: Logistic2): number => {
    let ll = -0.5 * ridge * (c[1] * c[1] + c[2] * c[2]);
    for (let i = 0; i < n; i++) {
      const eta = c[0] + c[1] * x1[i]! + c[2] * x2[i]!;
      // log σ(η) for y = 1, log σ(−η) for y = 0, computed without overflow.
      const s = y[i] ? -eta : eta;
      ll -= s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
    }
    return ll;
  };
  let current = objective(b);
  const g = new Float64Array(3);
  const h = new Float64Array(9);
  for (let it = 0; it < 100; it++) {
    g.fill(0);
    h.fill(0);
    for (let i = 0; i < n; i++) {
      const f1 = x1[i]!;
      const f2 = x2[i]!;
      const p = 1 / (1 + Math.exp(-(b[0] + b[1] * f1 + b[2] * f2)));
      const r = y[i]! - p;
      const w = p * (1 - p);
      g[0]! += r;
      g[1]! += r * f1;
      g[2]! += r * f2;
      h[0]! += w;
      h[1]! += w * f1;
      h[2]! += w * f2;
      h[4]! += w * f1 * f1;
      h[5]! += w * f1 * f2;
      h[8]! += w * f2 * f2;
    }
    g[1]! -= ridge * b[1];
    g[2]! -= ridge * b[2];
    h[0]! += 1e-6;
    h[4]! += ridge;
    h[8]! += ridge;
    h[3] = h[1]!;
    h[6] = h[2]!;
    h[7] = h[5]!;
    const step = solve3(h, g);
    let t = 1;
    let next: Logistic2 = b;
    let value = current;
    for (let halvings = 0; halvings < 30; halvings++, t /= 2) {
      const cand: Logistic2 = [b[0] + t * step[0]!, b[1] + t * step[1]!, b[2] + t * step[2]!];
      const v = objective(cand);
      if (v >= current) {
        next = cand;
        value = v;
        break;
      }
    }
    const moved = Math.abs(next[0] - b[0]) + Math.abs(next[1] - b[1]) + Math.abs(next[2] - b[2]);
    b = next;
    const gain = value - current;
    current = value;
    if (moved < 1e-8 || gain < 1e-10) break;
  }
  return b;
}

function det3(m: ArrayLike<number>): number {
  return (
    m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) -
    m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) +
    m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!)
  );
}

/** Solves A x = g for a 3 × 3 A (Cramer's rule); zeros when A is singular. */
function solve3(A: Float64Array, g: Float64Array): number[] {
  const d = det3(A);
  if (!(Math.abs(d) > 1e-300)) return [0, 0, 0];
  return [0, 1, 2].map((c) => {
    const m = Float64Array.from(A);
    for (let r = 0; r < 3; r++) m[r * 3 + c] = g[r]!;
    return det3(m) / d;
  });
}
