// Dense linear algebra for small, square problems (d ≤ a few hundred): ridge normal
// equations and PCA covariance. Float64 throughout; inputs are row-major n×n.

/**
 * In-place Cholesky factorisation A = L·Lᵀ (lower triangle of `a` becomes L; the upper
 * triangle is zeroed). Throws if A is not positive definite.
 */
export function cholesky(a: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j] as number;
    for (let k = 0; k < j; k++) d -= (a[j * n + k] as number) ** 2;
    if (!(d > 0)) throw new Error(`cholesky: matrix not positive definite at column ${j}`);
    const ljj = Math.sqrt(d);
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (a[i * n + k] as number) * (a[j * n + k] as number);
      a[i * n + j] = s / ljj;
    }
    for (let k = j + 1; k < n; k++) a[j * n + k] = 0;
  }
  return a;
}

/**
 * Solves (L·Lᵀ)·X = B for X given the Cholesky factor L (n×n) and B (n×m, row-major);
 * overwrites and returns B.
 */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array, m: number): Float64Array {
  // Forward: L·Z = B.
  for (let i = 0; i < n; i++) {
    const lii = l[i * n + i] as number;
    for (let c = 0; c < m; c++) {
      let s = b[i * m + c] as number;
      for (let k = 0; k < i; k++) s -= (l[i * n + k] as number) * (b[k * m + c] as number);
      b[i * m + c] = s / lii;
    }
  }
  // Backward: Lᵀ·X = Z.
  for (let i = n - 1; i >= 0; i--) {
    const lii = l[i * n + i] as number;
    for (let c = 0; c < m; c++) {
      let s = b[i * m + c] as number;
      for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (b[k * m + c] as number);
      b[i * m + c] = s / lii;
    }
  }
  return b;
}

export interface Eigen {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** Row-major n×n; column k is the unit eigenvector of values[k]. */
  vectors: Float64Array;
}

/**
 * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations. O(n³) per sweep and
 * usually < 10 sweeps: fine for PCA on a few hundred dims; the ONNX path replaces it at scale.
 */
export function symmetricEigen(input: Float64Array, n: number, maxSweeps = 60): Eigen {
  const a = Float64Array.from(input);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += (a[i] as number) ** 2;
  const tol = 1e-26 * Math.max(scale, 1e-300);
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += (a[p * n + q] as number) ** 2;
    if (off <= tol) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q] as number;
        if (apq === 0) continue;
        const app = a[p * n + p] as number;
        const aqq = a[q * n + q] as number;
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p] as number;
          const akq = a[k * n + q] as number;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k] as number;
          const aqk = a[q * n + k] as number;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p] as number;
          const vkq = v[k * n + q] as number;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => (a[j * n + j] as number) - (a[i * n + i] as number),
  );
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = a[src * n + src] as number;
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src] as number;
  });
  return { values, vectors };
}
