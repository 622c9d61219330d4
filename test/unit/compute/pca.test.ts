import { afterAll, describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../../main/core/compute/eigen';
import { covariance } from '../../../main/core/compute/graphs/covariance';
import { fitPca, transformPca } from '../../../main/core/compute/pca';
import { matrixSource } from '../../../main/core/compute/row-source';
import { disposeSessions } from '../../../main/core/compute/sessions';
import { randomMatrix } from './_helpers';

afterAll(() => disposeSessions());

describe('symmetric eigendecomposition', () => {
  it('satisfies A v = λ v with orthonormal vectors, values descending', () => {
    const d = 30;
    const r = randomMatrix(d, d, 3);
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) a[i * d + j] = r.data[i * d + j]! + r.data[j * d + i]!;
    const { values, vectors } = symmetricEigen(a, d);
    for (let k = 1; k < d; k++) expect(values[k]!).toBeLessThanOrEqual(values[k - 1]!);
    for (let k = 0; k < d; k++) {
      for (let i = 0; i < d; i++) {
        let av = 0;
        for (let j = 0; j < d; j++) av += a[i * d + j]! * vectors[k * d + j]!;
        expect(av).toBeCloseTo(values[k]! * vectors[k * d + i]!, 8);
      }
      for (let l = 0; l < d; l++) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += vectors[k * d + j]! * vectors[l * d + j]!;
        expect(dot).toBeCloseTo(k === l ? 1 : 0, 10);
      }
    }
  });

  it('handles diagonal and rank-deficient matrices', () => {
    expect(Array.from(symmetricEigen([3, 0, 0, 0, 1, 0, 0, 0, 2], 3).values)).toEqual([3, 2, 1]);
    const z = symmetricEigen([1, 1, 1, 1], 2);
    expect(z.values[0]).toBeCloseTo(2, 12);
    expect(z.values[1]).toBeCloseTo(0, 12);
  });
});

describe('PCA', () => {
  it('whitening gives identity covariance on the fitted data', async () => {
    const x = randomMatrix(2000, 12, 5);
    // correlate and scale the columns so whitening has work to do
    for (let i = 0; i < x.rows; i++) {
      const o = i * 12;
      x.data[o + 1] = 3 * x.data[o]! + 0.5 * x.data[o + 1]!;
      x.data[o + 2] = 10 * x.data[o + 2]! + 4;
    }
    const model = await fitPca(x, { components: 6, whiten: true });
    const y = await transformPca(model, x);
    expect(y.cols).toBe(6);
    const c = await covariance(matrixSource(y));
    for (let p = 0; p < 6; p++) {
      expect(Math.abs(c.mean[p]!)).toBeLessThan(1e-4);
      for (let q = 0; q < 6; q++) expect(c.cov[p * 6 + q]).toBeCloseTo(p === q ? 1 : 0, 3);
    }
    expect(model.eigenvalues[0]!).toBeGreaterThanOrEqual(model.eigenvalues[1]!);
    expect(model.explainedRatio[0]!).toBeGreaterThan(0.3);
  });

  it('without whitening keeps the variance along each component', async () => {
    const x = randomMatrix(1000, 5, 6, 2);
    const model = await fitPca(x, { components: 5 });
    const y = await transformPca(model, x);
    const c = await covariance(matrixSource(y));
    for (let p = 0; p < 5; p++) expect(c.cov[p * 5 + p]! / model.eigenvalues[p]!).toBeCloseTo(1, 3);
  });
});
