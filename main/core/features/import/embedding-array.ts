// What the import job reads embeddings through: a row-major matrix on disk (a .npy file,
// a stored or deflated .npz member), handed out as float32 rows in chunks.
import { decodeHalf } from '../../store/vectors';
import { NPY_ITEM_BYTES, type NpyDtype } from './npy-header';

export interface EmbeddingArray {
  /** Where it comes from, for messages ("img_emb/img_emb_0.npy", "x.npz:l14_img"). */
  readonly source: string;
  readonly rows: number;
  readonly cols: number;
  readonly dtype: NpyDtype;
  /** Rows [start, start + count) as float32; `out` is reused when large enough. */
  read(start: number, count: number, out?: Float32Array): Promise<Float32Array>;
  close(): void;
}

export class EmbeddingArrayError extends Error {}

export function checkRowRange(a: { rows: number; source: string }, start: number, count: number): void {
  if (
    !Number.isInteger(start) ||
    !Number.isInteger(count) ||
    start < 0 ||
    count < 0 ||
    start + count > a.rows
  ) {
    throw new EmbeddingArrayError(`${a.source}: rows [${start}, ${start + count}) outside [0, ${a.rows})`);
  }
}

export function outBuffer(n: number, out?: Float32Array): Float32Array {
  return out && out.length >= n ? out.subarray(0, n) : new Float32Array(n);
}

/**
 * Converts `n` little-endian values of `dtype` in `bytes` to float32 in `out`. The bytes
 * may sit at any offset (an .npz member needs not be aligned): copied once when they do not.
 */
export function decodeValues(bytes: Uint8Array, dtype: NpyDtype, n: number, out: Float32Array): void {
  const size = NPY_ITEM_BYTES[dtype];
  const src = bytes.byteOffset % size === 0 ? bytes : bytes.slice(0, n * size);
  if (dtype === '<f4') out.set(new Float32Array(src.buffer, src.byteOffset, n));
  else if (dtype === '<f2') decodeHalf(new Uint16Array(src.buffer, src.byteOffset, n), out);
  else out.set(new Float64Array(src.buffer, src.byteOffset, n));
}
