// Small helpers between typed arrays and onnxruntime tensors.
import * as ort from 'onnxruntime-node';
import type { Matrix } from './types';

export function f32(data: Float32Array, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor('float32', data, dims);
}

export function i64(values: readonly number[], dims: readonly number[] = [values.length]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(values.map((v) => BigInt(v))), dims);
}

export function matrix(data: Float32Array, rows: number, cols: number): Matrix {
  if (data.length < rows * cols)
    throw new Error(`matrix ${rows}×${cols} needs ${rows * cols} values, got ${data.length}`);
  return { data, rows, cols };
}

/** Rows [start, start + count) of `m` without copying. */
export function rowsOf(m: Matrix, start: number, count: number): Float32Array {
  return m.data.subarray(start * m.cols, (start + count) * m.cols);
}

export function outputF32(out: ort.InferenceSession.OnnxValueMapType, name: string): Float32Array {
  const t = out[name];
  if (!t || !(t.data instanceof Float32Array)) throw new Error(`graph output ${name} missing or not float32`);
  return t.data;
}

export function outputI32(out: ort.InferenceSession.OnnxValueMapType, name: string): Int32Array {
  const t = out[name];
  if (!t || !(t.data instanceof Int32Array)) throw new Error(`graph output ${name} missing or not int32`);
  return t.data;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw signal.reason instanceof Error ? signal.reason : new DOMException('aborted', 'AbortError');
}
