// The ONNX linear kernels give what the plain-JS ones give (float32 Gemm vs float64 loops),
// across block boundaries (4096-row Gram blocks, 16384-row gallery blocks) and on row lists.
import { afterAll, describe, expect, it } from 'vitest';
import { onnxKernels } from '../../../main/core/compute/kernels';
import { disposeSessions } from '../../../main/core/compute/sessions';
import { fitRidge } from '../../../main/core/methods/alignment';
import { crossFittedAlignment } from '../../../main/core/methods/cross-fit';
import { jsKernels, type LinearKernels } from '../../../main/core/methods/kernels';
import { permutation } from '../../../main/core/methods/rng';
import { randomMatrix } from './_helpers';

afterAll(() => disposeSessions());

const onnx: LinearKernels = onnxKernels;

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]!));
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
  }
  return diff / Math.max(scale, 1e-12);
}

describe('ONNX linear kernels', () => {
  const x = randomMatrix(9000, 24, 1);
  const y = randomMatrix(9000, 16, 2);
  // Rows in a scrambled order spanning three Gram blocks.
  const rows = Array.from(permutation(9000, 3).subarray(0, 8500));

  it('ridge statistics equal the float64 loops, on all rows and on a row list', async () => {
    for (const r of [undefined, rows]) {
      const a = await onnx.ridgeStats(x, y, r);
      const b = await jsKernels.ridgeStats(x, y, r);
      expect(a.n).toBe(b.n);
      expect(maxRelDiff(a.xx, b.xx)).toBeLessThan(1e-5);
      expect(maxRelDiff(a.xy, b.xy)).toBeLessThan(1e-4);
      expect(maxRelDiff(a.sx, b.sx)).toBeLessThan(1e-4);
      expect(maxRelDiff(a.sy, b.sy)).toBeLessThan(1e-4);
    }
  });

  it('applies a ridge map as the loops do', async () => {
    const map = fitRidge(await jsKernels.ridgeStats(x, y, rows), { lambda: 0.01 });
    const a = await onnx.applyRidge(map, x, rows.slice(0, 5000));
    const b = await jsKernels.applyRidge(map, x, rows.slice(0, 5000));
    expect([a.rows, a.cols]).toEqual([b.rows, b.cols]);
    expect(maxRelDiff(a.data, b.data)).toBeLessThan(1e-5);
  });

  it('products of row lists equal the loops, with a gallery over several blocks', async () => {
    const g = randomMatrix(20_000, 8, 4);
    const aRows = [5, 19_999, 0, 12_345];
    const bRows = Array.from(permutation(20_000, 5));
    const a = await onnx.dotBlock(g, aRows, g, bRows);
    const b = await jsKernels.dotBlock(g, aRows, g, bRows);
    expect(maxRelDiff(a, b)).toBeLessThan(1e-5);
  });

  it('finds each query’s best other gallery row, itself excluded, exact copies included', async () => {
    const g = randomMatrix(20_000, 8, 6);
    // Row 17_000 is an exact copy of row 3 (a later gallery block); row 9 is scaled, not copied.
    g.data.set(g.data.subarray(3 * 8, 4 * 8), 17_000 * 8);
    const queries = [3, 9, 17_000, 42, 19_999];
    const gallery = Array.from({ length: 20_000 }, (_, i) => i);
    const a = await onnx.maxCosine(g, queries, gallery);
    const b = await jsKernels.maxCosine(g, queries, gallery);
    expect(maxRelDiff(a, b)).toBeLessThan(1e-5);
    expect(a[0]).toBeCloseTo(1, 5); // row 3 finds its copy, not itself
    expect(a[2]).toBeCloseTo(1, 5);
    expect(a[3]).toBeLessThan(0.999);
    // A gallery of the query alone: nothing to compare with.
    expect((await onnx.maxCosine(g, [42], [42]))[0]).toBe(-Infinity);
  });

  it('cross-fitted alignment scores agree between the kernels', async () => {
    const image = randomMatrix(6000, 12, 7);
    const text = randomMatrix(6000, 10, 8);
    // Text partly predicted by the image, so the scores carry signal.
    for (let i = 0; i < 6000; i++)
      for (let j = 0; j < 10; j++) text.data[i * 10 + j]! += 2 * image.data[i * 12 + j]!;
    const a = await crossFittedAlignment(image, text, { seed: 1, kernels: onnx });
    const b = await crossFittedAlignment(image, text, { seed: 1 });
    expect(maxRelDiff(a.scores, b.scores)).toBeLessThan(1e-4);
  });
});
