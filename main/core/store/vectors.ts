// Vector files: one flat binary file per embedding set, row i = pair (or image) i, read
// and written with positioned I/O in chunks so a set larger than memory is never loaded
// whole (unless `readAll` is asked for).
//
// Layout (all integers little-endian):
//
//   0     8   magic "TLDRVEC\0"
//   8     4   version (1)
//   12    4   dtype: 1 = float32, 2 = float16 (IEEE binary16)
//   16    4   dims
//   20    4   reserved (0)
//   24    8   rows      — the logical row count; rows [0, rows) are addressable
//   32    8   capacity  — rows the data region has room for (≥ rows)
//   40    8   doneCount — rows marked done when the bitmap was last written (a hint)
//   48 … 4096 zero
//   4096      data: capacity × dims × (4 | 2) bytes; row i at 4096 + i·rowBytes
//   4096 + capacity·rowBytes   done bitmap: ⌈capacity / 8⌉ bytes, bit (i & 7) of byte
//             (i >> 3) set ⇔ row i holds a finished vector
//
// Resume bookkeeping. An embed job creates the file with rows = number of pairs, writes
// batches at their row index (any order), and calls `flush()` at its checkpoints. The
// done bits live in memory and reach the disk only in `flush()`, *after* an fsync of the
// data, so a bit on disk always covers a row whose bytes are on disk; after a crash the
// job reopens the file and `undoneRanges()` lists exactly what still has to be computed
// (rows written after the last flush are computed again, which is harmless).
// Appending past the capacity grows it by half: the bitmap moves to the new end of the
// data region (written there first, then the header), so the data never moves.
import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  writeSync,
  existsSync,
} from 'node:fs';

export type VectorDtype = 'float32' | 'float16';

const MAGIC = Buffer.from('TLDRVEC\0', 'latin1');
const VERSION = 1;
const HEADER_BYTES = 4096;
const DTYPE_CODE: Record<VectorDtype, number> = { float32: 1, float16: 2 };

export class VectorFileError extends Error {
  readonly kind = 'vector_file' as const;
}

// ---------------------------------------------------------------------------- float16

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** float32 → binary16 bits, round to nearest even; overflow → ±Inf, NaN kept. */
export function toHalf(v: number): number {
  f32Scratch[0] = v;
  const x = u32Scratch[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 | (mant >>> 13) : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign; // below half the smallest subnormal: ±0
    mant |= 0x800000; // implicit leading 1
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mant & ((1 << shift) - 1);
    let m = mant >>> shift;
    if (rest > half || (rest === half && m & 1)) m++;
    return sign | m; // a carry into the exponent field is the right answer
  }
  const rest = mant & 0x1fff;
  let h = sign | (e << 10) | (mant >>> 13);
  if (rest > 0x1000 || (rest === 0x1000 && h & 1)) h++; // a carry into exp (or to Inf) is correct
  return h;
}

let halfTable: Float32Array | undefined;

/** binary16 bits → number (a 64 Ki-entry table, built on first use). */
export function fromHalf(h: number): number {
  return (halfTable ?? buildHalfTable())[h & 0xffff]!;
}

function buildHalfTable(): Float32Array {
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const s = h & 0x8000 ? -1 : 1;
    const e = (h >>> 10) & 0x1f;
    const m = h & 0x3ff;
    if (e === 0) t[h] = s * m * 2 ** -24;
    else if (e === 31) t[h] = m ? NaN : s * Infinity;
    else t[h] = s * (1 + m / 1024) * 2 ** (e - 15);
  }
  halfTable = t;
  return t;
}

export function encodeHalf(src: Float32Array, out: Uint16Array = new Uint16Array(src.length)): Uint16Array {
  for (let i = 0; i < src.length; i++) out[i] = toHalf(src[i]!);
  return out;
}

export function decodeHalf(src: Uint16Array, out: Float32Array = new Float32Array(src.length)): Float32Array {
  const t = halfTable ?? buildHalfTable();
  for (let i = 0; i < src.length; i++) out[i] = t[src[i]!]!;
  return out;
}

// ---------------------------------------------------------------------------- file

export interface VectorFileInfo {
  dims: number;
  dtype: VectorDtype;
  rows: number;
  capacity: number;
}

export interface CreateVectorFileOptions {
  dims: number;
  dtype?: VectorDtype;
  /** Addressable rows from the start (all not done); more can be appended. */
  rows?: number;
  /** Replace an existing file. */
  overwrite?: boolean;
}

export class VectorFile {
  private fd: number;
  private info: VectorFileInfo;
  private done: Uint8Array;
  private doneCountValue: number;
  private dirtyFrom = Infinity;
  private dirtyTo = -1;
  private dataDirty = false;
  private readonly writable: boolean;
  private halfBuf = new Uint16Array(0);
  private readBuf = new Float32Array(0);

  private constructor(
    readonly path: string,
    fd: number,
    info: VectorFileInfo,
    done: Uint8Array,
    writable: boolean,
  ) {
    this.fd = fd;
    this.info = info;
    this.done = done;
    this.writable = writable;
    let c = 0;
    for (let i = 0; i < info.rows; i++) if (done[i >> 3]! & (1 << (i & 7))) c++;
    this.doneCountValue = c;
  }

  static create(path: string, opts: CreateVectorFileOptions): VectorFile {
    const dtype = opts.dtype ?? 'float32';
    if (!Number.isInteger(opts.dims) || opts.dims < 1)
      throw new VectorFileError(`dims must be ≥ 1, got ${opts.dims}`);
    if (!opts.overwrite && existsSync(path)) throw new VectorFileError(`${path} exists`);
    const rows = opts.rows ?? 0;
    const fd = openSync(path, 'w+');
    const info: VectorFileInfo = { dims: opts.dims, dtype, rows, capacity: rows };
    const f = new VectorFile(path, fd, info, new Uint8Array(Math.ceil(rows / 8)), true);
    ftruncateSync(fd, f.bitmapOffset() + f.done.length);
    f.writeHeader();
    return f;
  }

  static open(path: string, opts: { writable?: boolean } = {}): VectorFile {
    const writable = opts.writable ?? false;
    const fd = openSync(path, writable ? 'r+' : 'r');
    try {
      const h = Buffer.alloc(48);
      if (readSync(fd, h, 0, 48, 0) !== 48 || !h.subarray(0, 8).equals(MAGIC)) {
        throw new VectorFileError(`${path} is not a vector file`);
      }
      const version = h.readUInt32LE(8);
      if (version !== VERSION) throw new VectorFileError(`${path}: unsupported version ${version}`);
      const code = h.readUInt32LE(12);
      const dtype = (Object.keys(DTYPE_CODE) as VectorDtype[]).find((k) => DTYPE_CODE[k] === code);
      if (!dtype) throw new VectorFileError(`${path}: unknown dtype ${code}`);
      const info: VectorFileInfo = {
        dtype,
        dims: h.readUInt32LE(16),
        rows: Number(h.readBigUInt64LE(24)),
        capacity: Number(h.readBigUInt64LE(32)),
      };
      const rowBytes = info.dims * (dtype === 'float32' ? 4 : 2);
      const done = new Uint8Array(Math.ceil(info.capacity / 8));
      const bitmapAt = HEADER_BYTES + info.capacity * rowBytes;
      if (fstatSync(fd).size < bitmapAt + done.length) throw new VectorFileError(`${path} is truncated`);
      readFully(fd, done, bitmapAt);
      return new VectorFile(path, fd, info, done, writable);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  get dims(): number {
    return this.info.dims;
  }
  get dtype(): VectorDtype {
    return this.info.dtype;
  }
  get rows(): number {
    return this.info.rows;
  }
  /** Alias of `dims`, so a VectorFile is a compute RowSource. */
  get cols(): number {
    return this.info.dims;
  }
  get doneCount(): number {
    return this.doneCountValue;
  }
  get complete(): boolean {
    return this.doneCountValue === this.info.rows;
  }

  private get rowBytes(): number {
    return this.info.dims * (this.info.dtype === 'float32' ? 4 : 2);
  }

  private bitmapOffset(capacity = this.info.capacity): number {
    return HEADER_BYTES + capacity * this.rowBytes;
  }

  private writeHeader(): void {
    const h = Buffer.alloc(HEADER_BYTES);
    MAGIC.copy(h, 0);
    h.writeUInt32LE(VERSION, 8);
    h.writeUInt32LE(DTYPE_CODE[this.info.dtype], 12);
    h.writeUInt32LE(this.info.dims, 16);
    h.writeBigUInt64LE(BigInt(this.info.rows), 24);
    h.writeBigUInt64LE(BigInt(this.info.capacity), 32);
    h.writeBigUInt64LE(BigInt(this.doneCountValue), 40);
    writeFully(this.fd, h, 0);
  }

  private checkRange(start: number, count: number): void {
    if (
      !Number.isInteger(start) ||
      !Number.isInteger(count) ||
      start < 0 ||
      count < 0 ||
      start + count > this.info.rows
    ) {
      throw new VectorFileError(`rows [${start}, ${start + count}) outside [0, ${this.info.rows})`);
    }
  }

  private assertWritable(): void {
    if (!this.writable) throw new VectorFileError(`${this.path} is open read-only`);
  }

  /**
   * Rows [start, start + count) as float32 (count × dims), one positioned read. Pass
   * `out` to reuse a buffer.
   */
  readRows(start: number, count: number, out?: Float32Array): Float32Array {
    this.checkRange(start, count);
    const n = count * this.info.dims;
    const dst: Float32Array = out && out.length >= n ? out.subarray(0, n) : new Float32Array(n);
    const pos = HEADER_BYTES + start * this.rowBytes;
    if (this.info.dtype === 'float32') {
      readFully(this.fd, new Uint8Array(dst.buffer, dst.byteOffset, n * 4), pos);
    } else {
      if (this.halfBuf.length < n) this.halfBuf = new Uint16Array(n);
      const h = this.halfBuf.subarray(0, n);
      readFully(this.fd, new Uint8Array(h.buffer, h.byteOffset, n * 2), pos);
      decodeHalf(h, dst);
    }
    return dst;
  }

  /**
   * The compute RowSource read: like readRows, but into one buffer reused by the next
   * call (the streaming algorithms copy what they keep), so a pass allocates nothing.
   */
  read(start: number, count: number): Float32Array {
    const n = count * this.info.dims;
    if (this.readBuf.length < n) this.readBuf = new Float32Array(n);
    return this.readRows(start, count, this.readBuf);
  }

  /** Successive chunks of [start, end), each at most `chunkRows` rows, one buffer reused. */
  *chunks(
    chunkRows: number,
    start = 0,
    end = this.info.rows,
  ): Generator<{ start: number; count: number; data: Float32Array }> {
    const buf = new Float32Array(Math.max(1, Math.min(chunkRows, end - start)) * this.info.dims);
    for (let s = start; s < end; s += chunkRows) {
      const count = Math.min(chunkRows, end - s);
      yield { start: s, count, data: this.readRows(s, count, buf) };
    }
  }

  /**
   * Every row in memory (3 GB for CC3M's 256-d image vectors). Read in chunks so a float16
   * file is never held whole a second time as its 16-bit buffer.
   */
  readAll(): Float32Array {
    const d = this.info.dims;
    const out = new Float32Array(this.info.rows * d);
    const step = Math.max(1, Math.floor((1 << 20) / Math.max(1, d)));
    for (let s = 0; s < this.info.rows; s += step) {
      const n = Math.min(step, this.info.rows - s);
      this.readRows(s, n, out.subarray(s * d, (s + n) * d));
    }
    return out;
  }

  /** Writes `data` (a whole number of rows) at row `index` and marks those rows done. */
  writeRows(index: number, data: Float32Array): void {
    this.assertWritable();
    const d = this.info.dims;
    if (data.length % d !== 0)
      throw new VectorFileError(`${data.length} values is not a whole number of ${d}-dim rows`);
    const count = data.length / d;
    this.checkRange(index, count);
    const pos = HEADER_BYTES + index * this.rowBytes;
    if (this.info.dtype === 'float32') {
      writeFully(this.fd, new Uint8Array(data.buffer, data.byteOffset, data.byteLength), pos);
    } else {
      const h = encodeHalf(data);
      writeFully(this.fd, new Uint8Array(h.buffer, h.byteOffset, h.byteLength), pos);
    }
    this.dataDirty = true;
    this.markDone(index, count);
  }

  /** Appends rows at the end (growing the file as needed); returns the first new index. */
  appendRows(data: Float32Array): number {
    this.assertWritable();
    const d = this.info.dims;
    if (data.length % d !== 0)
      throw new VectorFileError(`${data.length} values is not a whole number of ${d}-dim rows`);
    const first = this.info.rows;
    this.ensureRows(first + data.length / d);
    this.writeRows(first, data);
    return first;
  }

  /** Makes rows [0, rows) addressable (new rows not done), growing capacity if needed. */
  ensureRows(rows: number): void {
    this.assertWritable();
    if (rows <= this.info.rows) return;
    if (rows > this.info.capacity) this.grow(Math.max(rows, Math.ceil(this.info.capacity * 1.5), 1024));
    this.info.rows = rows;
    this.writeHeader();
  }

  private grow(capacity: number): void {
    // The old bitmap area becomes data, so first make the new bitmap durable elsewhere.
    this.flush();
    const done = new Uint8Array(Math.ceil(capacity / 8));
    done.set(this.done);
    ftruncateSync(this.fd, this.bitmapOffset(capacity) + done.length);
    writeFully(this.fd, done, this.bitmapOffset(capacity));
    fsyncSync(this.fd);
    this.done = done;
    this.info.capacity = capacity;
    this.writeHeader();
    fsyncSync(this.fd);
  }

  private markDone(start: number, count: number): void {
    for (let i = start; i < start + count; i++) {
      const b = i >> 3;
      const bit = 1 << (i & 7);
      if (!(this.done[b]! & bit)) {
        this.done[b] = this.done[b]! | bit;
        this.doneCountValue++;
      }
    }
    this.dirtyFrom = Math.min(this.dirtyFrom, start >> 3);
    this.dirtyTo = Math.max(this.dirtyTo, (start + count - 1) >> 3);
  }

  isDone(i: number): boolean {
    return i >= 0 && i < this.info.rows && (this.done[i >> 3]! & (1 << (i & 7))) !== 0;
  }

  /** Maximal [start, end) runs of rows not yet done, ascending. */
  undoneRanges(from = 0, to = this.info.rows): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    let i = from;
    while (i < to) {
      // skip whole done bytes quickly
      if ((i & 7) === 0 && i + 8 <= to && this.done[i >> 3] === 0xff) {
        i += 8;
        continue;
      }
      if (this.isDone(i)) {
        i++;
        continue;
      }
      const s = i;
      while (i < to && !this.isDone(i)) i++;
      out.push([s, i]);
    }
    return out;
  }

  /** First row ≥ from not yet done, or -1. */
  nextUndone(from = 0): number {
    const r = this.undoneRanges(from, this.info.rows);
    return r.length > 0 ? r[0]![0] : -1;
  }

  /**
   * Makes everything written so far durable: fsync the rows, then write the done bits
   * that cover them and the header, then fsync again.
   */
  flush(): void {
    if (!this.writable) return;
    if (this.dataDirty) fsyncSync(this.fd);
    this.dataDirty = false;
    if (this.dirtyTo >= this.dirtyFrom) {
      writeFully(
        this.fd,
        this.done.subarray(this.dirtyFrom, this.dirtyTo + 1),
        this.bitmapOffset() + this.dirtyFrom,
      );
      this.dirtyFrom = Infinity;
      this.dirtyTo = -1;
      this.writeHeader();
      fsyncSync(this.fd);
    }
  }

  close(): void {
    if (this.fd < 0) return;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
      this.fd = -1;
    }
  }
}

function readFully(fd: number, buf: Uint8Array, pos: number): void {
  let off = 0;
  while (off < buf.length) {
    const n = readSync(fd, buf, off, buf.length - off, pos + off);
    if (n === 0) throw new VectorFileError(`unexpected end of file at byte ${pos + off}`);
    off += n;
  }
}

function writeFully(fd: number, buf: Uint8Array, pos: number): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off, pos + off);
}
