import { describe, expect, it } from 'vitest';
import { cholesky, choleskySolve, symmetricEigen } from '../../../main/core/methods/linalg';
import { fitPca, pcaTransform } from '../../../main/core/methods/pca';
import { randn } from './helpers/synthetic';

describe('small dense linear algebra', () => {
  it('Cholesky solve of a random SPD system', () => {
    const g = randn(1);
    const n = 12;
    const m = 3;
    const B = Float64Array.from({ length: n * n }, () => g());
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = i === j ? 0.5 : 0;
        for (let k = 0; k < n; k++) s += B[i * n + k]! * B[j * n + k]!;
        A[i * n + j] = s;
      }
    const X = Float64Array.from({ length: n * m }, () => g());
    const rhs = new Float64Array(n * m);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < m; c++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += A[i * n + k]! * X[k * m + c]!;
        rhs[i * m + c] = s;
      }
    const sol = choleskySolve(cholesky(Float64Array.from(A), n), n, rhs, m);
    for (let k = 0; k < n * m; k++) expect(sol[k]).toBeCloseTo(X[k]!, 8);
    expect(() => cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/positive definite/);
  });

  it('Jacobi eigen-decomposition: A·v = λ·v, descending', () => {
    const A = Float64Array.from([4, 1, 0, 1, 3, 1, 0, 1, 2]);
    const { values, vectors } = symmetricEigen(A, 3);
    expect(values[0]!).toBeGreaterThanOrEqual(values[1]!);
    expect(values[1]!).toBeGreaterThanOrEqual(values[2]!);
    expect(values[0]! + values[1]! + values[2]!).toBeCloseTo(9, 10);
    for (let k = 0; k < 3; k++)
      for (let i = 0; i < 3; i++) {
        let s = 0;
        for (let j = 0; j < 3; j++) s += A[i * 3 + j]! * vectors[j * 3 + k]!;
        expect(s).toBeCloseTo(values[k]! * vectors[i * 3 + k]!, 9);
      }
  });

  it('PCA whitening (power −0.5) gives identity covariance on the kept dims', () => {
    const g = randn(2);
    const n = 2000;
    const d = 6;
    const data = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const a = g() * 5;
      const b = g() * 2;
      for (let c = 0; c < d; c++) data[i * d + c] = a * (c + 1) * 0.3 + b * (c % 2 ? 1 : -1) + 0.1 * g() + 7;
    }
    const y = pcaTransform({ data, rows: n, cols: d }, { dims: 3, eigenPower: -0.5 });
    expect(y.cols).toBe(3);
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 3; b++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += y.data[i * 3 + a]! * y.data[i * 3 + b]!;
        expect(s / (n - 1)).toBeCloseTo(a === b ? 1 : 0, 2);
      }
    const model = fitPca({ data, rows: n, cols: d }, { dims: 2, eigenPower: 0 });
    expect(model.eigenvalues[0]!).toBeGreaterThan(model.eigenvalues[1]!);
  });
});
