// Eigendecomposition of a small symmetric matrix (d × d, d up to a few thousand) in plain
// TS: Householder reduction to tridiagonal form, then the implicit QL algorithm — the
// tred2/tql2 pair of EISPACK as given in JAMA. O(d³) with a small constant, far quicker
// than cyclic Jacobi for d in the hundreds; float64 throughout.

export interface SymmetricEigen {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** Unit eigenvectors as rows (row i belongs to values[i]), d × d row-major. */
  vectors: Float64Array;
  dims: number;
}

/** `a` is d × d row-major and symmetric (only read, never modified). */
export function symmetricEigen(a: ArrayLike<number>, d: number): SymmetricEigen {
  if (a.length < d * d) throw new Error(`symmetricEigen: need ${d * d} values, got ${a.length}`);
  // V as an array of rows for readability; V[i][j].
  const V: Float64Array[] = [];
  for (let i = 0; i < d; i++) {
    const row = new Float64Array(d);
    for (let j = 0; j < d; j++) row[j] = (Number(a[i * d + j]) + Number(a[j * d + i])) / 2;
    V.push(row);
  }
  const dv = new Float64Array(d);
  const e = new Float64Array(d);
  if (d > 0) {
    tred2(V, dv, e, d);
    tql2(V, dv, e, d);
  }
  // ascending from tql2 → descending, vectors (columns of V) → rows
  const order = Array.from({ length: d }, (_, i) => i).sort((x, y) => dv[y]! - dv[x]!);
  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  order.forEach((src, dst) => {
    values[dst] = dv[src]!;
    for (let k = 0; k < d; k++) vectors[dst * d + k] = V[k]![src]!;
  });
  return { values, vectors, dims: d };
}

function tred2(V: Float64Array[], dv: Float64Array, e: Float64Array, n: number): void {
  const row = (i: number): Float64Array => V[i]!;
  for (let j = 0; j < n; j++) dv[j] = row(n - 1)[j]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(dv[k]!);
    if (scale === 0) {
      e[i] = dv[i - 1]!;
      for (let j = 0; j < i; j++) {
        dv[j] = row(i - 1)[j]!;
        row(i)[j] = 0;
        row(j)[i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        dv[k] = dv[k]! / scale;
        h += dv[k]! * dv[k]!;
      }
      let f = dv[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      dv[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = dv[j]!;
        row(j)[i] = f;
        g = e[j]! + row(j)[j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += row(k)[j]! * dv[k]!;
          e[k] = e[k]! + row(k)[j]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] = e[j]! / h;
        f += e[j]! * dv[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = e[j]! - hh * dv[j]!;
      for (let j = 0; j < i; j++) {
        f = dv[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) row(k)[j] = row(k)[j]! - (f * e[k]! + g * dv[k]!);
        dv[j] = row(i - 1)[j]!;
        row(i)[j] = 0;
      }
    }
    dv[i] = h;
  }
  // accumulate the transformations
  for (let i = 0; i < n - 1; i++) {
    row(n - 1)[i] = row(i)[i]!;
    row(i)[i] = 1;
    const h = dv[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) dv[k] = row(k)[i + 1]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += row(k)[i + 1]! * row(k)[j]!;
        for (let k = 0; k <= i; k++) row(k)[j] = row(k)[j]! - g * dv[k]!;
      }
    }
    for (let k = 0; k <= i; k++) row(k)[i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    dv[j] = row(n - 1)[j]!;
    row(n - 1)[j] = 0;
  }
  row(n - 1)[n - 1] = 1;
  e[0] = 0;
}

function tql2(V: Float64Array[], dv: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(dv[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]!) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 100) throw new Error('symmetricEigen: QL did not converge');
        let g = dv[l]!;
        let p = (dv[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        dv[l] = e[l]! / (p + r);
        dv[l + 1] = e[l]! * (p + r);
        const dl1 = dv[l + 1]!;
        let h = g - dv[l]!;
        for (let i = l + 2; i < n; i++) dv[i] = dv[i]! - h;
        f += h;
        p = dv[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * dv[i]! - s * g;
          dv[i + 1] = h + s * (c * g + s * dv[i]!);
          for (let k = 0; k < n; k++) {
            const vk = V[k]!;
            h = vk[i + 1]!;
            vk[i + 1] = s * vk[i]! + c * h;
            vk[i] = c * vk[i]! - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        dv[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    dv[l] = dv[l]! + f;
    e[l] = 0;
  }
}
