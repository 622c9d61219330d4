// A .npy matrix read in place with positioned reads: a row range costs one read of its
// bytes, so files of many GB are streamed in chunks with memory bounded by the chunk.
// The same class reads an uncompressed (stored) .npz member at its offset in the zip.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import {
  checkRowRange,
  decodeValues,
  EmbeddingArrayError,
  outBuffer,
  type EmbeddingArray,
} from './embedding-array';
import {
  NPY_ITEM_BYTES,
  NPY_PREFIX_BYTES,
  npyHeaderLength,
  parseNpyHeader,
  type NpyDtype,
} from './npy-header';

export function readFullyAt(fd: number, buf: Uint8Array, pos: number, what: string): void {
  let off = 0;
  while (off < buf.length) {
    const n = readSync(fd, buf, off, buf.length - off, pos + off);
    if (n === 0) throw new EmbeddingArrayError(`${what}: unexpected end of file at byte ${pos + off}`);
    off += n;
  }
}

export interface NpyOpenOptions {
  /** Byte offset of the array in the file (an .npz member's data). */
  offset?: number;
  /** Bytes the array occupies from `offset` (checked against its shape). */
  length?: number;
  /** Name used in messages (defaults to the path). */
  source?: string;
}

export class NpyFile implements EmbeddingArray {
  private fd: number;
  private scratch = new Uint8Array(0);

  private constructor(
    readonly source: string,
    fd: number,
    readonly dtype: NpyDtype,
    readonly rows: number,
    readonly cols: number,
    /** Absolute byte position of the first data byte. */
    readonly dataStart: number,
  ) {
    this.fd = fd;
  }

  static open(path: string, opts: NpyOpenOptions = {}): NpyFile {
    const source = opts.source ?? path;
    const base = opts.offset ?? 0;
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      const avail = opts.length ?? size - base;
      const prefix = new Uint8Array(Math.min(NPY_PREFIX_BYTES, Math.max(0, avail)));
      readFullyAt(fd, prefix, base, source);
      const headerBytes = new Uint8Array(npyHeaderLength(prefix, source));
      if (headerBytes.length > avail) throw new EmbeddingArrayError(`${source}: header runs past the end`);
      readFullyAt(fd, headerBytes, base, source);
      const h = parseNpyHeader(headerBytes, source);
      const need = h.dataOffset + h.rows * h.cols * NPY_ITEM_BYTES[h.dtype];
      if (avail < need || base + need > size) {
        throw new EmbeddingArrayError(
          `${source} is truncated: shape (${h.rows}, ${h.cols}) ${h.dtype} needs ${need} bytes, ${Math.min(avail, size - base)} present`,
        );
      }
      return new NpyFile(source, fd, h.dtype, h.rows, h.cols, base + h.dataOffset);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /** Rows [start, start + count) as float32, synchronously (one positioned read). */
  readSync(start: number, count: number, out?: Float32Array): Float32Array {
    checkRowRange(this, start, count);
    const n = count * this.cols;
    const dst = outBuffer(n, out);
    const pos = this.dataStart + start * this.cols * NPY_ITEM_BYTES[this.dtype];
    if (this.dtype === '<f4') {
      // Straight into the output: no conversion and no second copy.
      readFullyAt(this.fd, new Uint8Array(dst.buffer, dst.byteOffset, n * 4), pos, this.source);
      return dst;
    }
    const bytes = n * NPY_ITEM_BYTES[this.dtype];
    if (this.scratch.length < bytes) this.scratch = new Uint8Array(bytes);
    const raw = this.scratch.subarray(0, bytes);
    readFullyAt(this.fd, raw, pos, this.source);
    decodeValues(raw, this.dtype, n, dst);
    return dst;
  }

  read(start: number, count: number, out?: Float32Array): Promise<Float32Array> {
    try {
      return Promise.resolve(this.readSync(start, count, out));
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }
}
