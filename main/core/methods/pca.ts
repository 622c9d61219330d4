// A small pure PCA (with optional whitening), the stand-in for the compute layer's ONNX PCA.
// Faithful TL;DR: eigenvalue power −0.5 (whitening), as faiss' PCAMatrix(eigen_power=-0.5).
import type { Matrix } from '../compute/types';
import { symmetricEigen } from './linalg';
import { permutation } from './rng';

export interface PcaOptions {
  dims: number;
  /** 0 = plain projection, −0.5 = whitening. */
  eigenPower: number;
  /** Fit on at most this many rows (seeded sample); the transform still covers every row. */
  maxFitRows?: number;
  seed?: number;
}

/** The PCA a feature builder is given: fits on x and returns the projected rows. */
export type PcaFn = (x: Matrix, opts: PcaOptions) => Matrix;

export interface PcaModel {
  mean: Float64Array;
  /** cols × dims projection (row-major), eigenvalue scaling folded in. */
  projection: Float64Array;
  eigenvalues: Float64Array;
  dims: number;
  cols: number;
}

/** Eigenvalues below this fraction of the largest are floored, so whitening cannot divide by ~0. */
const EIGEN_FLOOR = 1e-6;

export function fitPca(x: Matrix, opts: PcaOptions): PcaModel {
  const { rows, cols, data } = x;
  const dims = Math.min(opts.dims, cols);
  let fitRows: ArrayLike<number> | undefined;
  if (opts.maxFitRows !== undefined && rows > opts.maxFitRows) {
    fitRows = permutation(rows, opts.seed ?? 0).subarray(0, opts.maxFitRows);
  }
  const m = fitRows ? fitRows.length : rows;
  const rowAt = (k: number): number => (fitRows ? (fitRows[k] as number) : k);
  const mean = new Float64Array(cols);
  for (let k = 0; k < m; k++) {
    const o = rowAt(k) * cols;
    for (let c = 0; c < cols; c++) mean[c]! += data[o + c] as number;
  }
  for (let c = 0; c < cols; c++) mean[c]! /= Math.max(1, m);
  const cov = new Float64Array(cols * cols);
  const centred = new Float64Array(cols);
  for (let k = 0; k < m; k++) {
    const o = rowAt(k) * cols;
    for (let c = 0; c < cols; c++) centred[c] = (data[o + c] as number) - (mean[c] as number);
    for (let a = 0; a < cols; a++) {
      const va = centred[a] as number;
      if (va === 0) continue;
      const oa = a * cols;
      for (let b = a; b < cols; b++) cov[oa + b]! += va * (centred[b] as number);
    }
  }
  const denom = Math.max(1, m - 1);
  for (let a = 0; a < cols; a++) {
    for (let b = a; b < cols; b++) {
      const v = (cov[a * cols + b] as number) / denom;
      cov[a * cols + b] = v;
      cov[b * cols + a] = v;
    }
  }
  const eig = symmetricEigen(cov, cols);
  const floor = Math.max((eig.values[0] ?? 0) * EIGEN_FLOOR, 1e-12);
  const projection = new Float64Array(cols * dims);
  for (let k = 0; k < dims; k++) {
    const lambda = Math.max(eig.values[k] as number, floor);
    const scale = opts.eigenPower === 0 ? 1 : Math.pow(lambda, opts.eigenPower);
    for (let c = 0; c < cols; c++) projection[c * dims + k] = (eig.vectors[c * cols + k] as number) * scale;
  }
  return { mean, projection, eigenvalues: eig.values.slice(0, dims), dims, cols };
}

export function applyPca(model: PcaModel, x: Matrix): Matrix {
  if (x.cols !== model.cols) throw new RangeError(`applyPca: expected ${model.cols} columns, got ${x.cols}`);
  const { rows, cols, data } = x;
  const dims = model.dims;
  const out = new Float32Array(rows * dims);
  const acc = new Float64Array(dims);
  for (let r = 0; r < rows; r++) {
    acc.fill(0);
    const o = r * cols;
    for (let c = 0; c < cols; c++) {
      const v = (data[o + c] as number) - (model.mean[c] as number);
      if (v === 0) continue;
      const pc = c * dims;
      for (let k = 0; k < dims; k++) acc[k]! += v * (model.projection[pc + k] as number);
    }
    for (let k = 0; k < dims; k++) out[r * dims + k] = acc[k] as number;
  }
  return { data: out, rows, cols: dims };
}

/** PcaFn implemented in plain TypeScript. */
export const pcaTransform: PcaFn = (x, opts) => applyPca(fitPca(x, opts), x);
