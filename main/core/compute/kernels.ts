// The methods' LinearKernels (methods/kernels.ts) on ONNX Gemm graphs (graphs/linear.ts).
// Typed structurally: the compute layer does not import the methods.
import { affineRows, crossGram, maxCosine, productBlock } from './graphs/linear';
import type { Matrix } from './types';

export const onnxKernels = {
  ridgeStats: (x: Matrix, y: Matrix, rows?: ArrayLike<number>) => crossGram(x, y, rows),
  applyRidge: (
    map: { w: ArrayLike<number>; dy: number; meanX: ArrayLike<number> },
    x: Matrix,
    rows?: ArrayLike<number>,
  ) => affineRows(x, map.w, map.dy, map.meanX, rows),
  dotBlock: (a: Matrix, aRows: ArrayLike<number>, b: Matrix, bRows: ArrayLike<number>, out?: Float32Array) =>
    productBlock(a, aRows, b, bRows, out),
  maxCosine: (x: Matrix, queryRows: ArrayLike<number>, galleryRows: ArrayLike<number>) =>
    maxCosine(x, queryRows, galleryRows),
};
