// Writing .npy matrices: the fixtures of the import tests and the synthetic embeddings of
// the benchmarks (rows appended in chunks, so a matrix of many GB never sits in memory).
import { closeSync, openSync, writeSync } from 'node:fs';
import { encodeHalf } from '../../store/vectors';
import { formatNpyHeader, type NpyDtype } from './npy-header';

function writeAll(fd: number, bytes: Uint8Array): void {
  const step = 1 << 26;
  for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, Math.min(step, bytes.length - off));
}

function encode(data: Float32Array, dtype: NpyDtype): Uint8Array {
  const v = dtype === '<f4' ? data : dtype === '<f2' ? encodeHalf(data) : Float64Array.from(data);
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/** A .npy file of `rows` × `cols` written row chunk by row chunk. */
export class NpyWriter {
  private written = 0;
  private fd: number;

  constructor(
    readonly path: string,
    readonly rows: number,
    readonly cols: number,
    readonly dtype: NpyDtype = '<f4',
    version: 1 | 2 | 3 = 1,
  ) {
    this.fd = openSync(path, 'w');
    writeAll(this.fd, formatNpyHeader(dtype, rows, cols, version));
  }

  /** Appends whole rows given as float32 (converted to the file's dtype). */
  append(data: Float32Array): void {
    if (data.length % this.cols !== 0)
      throw new Error(`${data.length} values is not whole ${this.cols}-d rows`);
    const count = data.length / this.cols;
    if (this.written + count > this.rows) throw new Error(`${this.path}: more than ${this.rows} rows`);
    writeAll(this.fd, encode(data, this.dtype));
    this.written += count;
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
    if (this.written !== this.rows)
      throw new Error(`${this.path}: ${this.written} of ${this.rows} rows written`);
  }
}

/** The whole .npy file as bytes (tests put it in a zip). */
export function npyBytes(
  data: Float32Array,
  rows: number,
  cols: number,
  dtype: NpyDtype = '<f4',
  version: 1 | 2 | 3 = 1,
): Buffer {
  if (data.length !== rows * cols) throw new Error(`${data.length} values for shape (${rows}, ${cols})`);
  return Buffer.concat([formatNpyHeader(dtype, rows, cols, version), encode(data, dtype)]);
}

export function writeNpy(
  path: string,
  data: Float32Array,
  rows: number,
  cols: number,
  dtype: NpyDtype = '<f4',
  version: 1 | 2 | 3 = 1,
): void {
  if (data.length !== rows * cols) throw new Error(`${data.length} values for shape (${rows}, ${cols})`);
  const w = new NpyWriter(path, rows, cols, dtype, version);
  w.append(data);
  w.close();
}
