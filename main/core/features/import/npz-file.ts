// Arrays of an .npz (a zip of .npy members; DataComp ships l14_img, l14_txt, b32_img,
// b32_txt). A stored member is read in place like a .npy at its offset; a deflated one
// (numpy.savez_compressed) is inflated as a stream: reads must then go forward, and going
// back restarts the stream from the member's start. Memory stays one chunk either way.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import {
  checkRowRange,
  decodeValues,
  EmbeddingArrayError,
  outBuffer,
  type EmbeddingArray,
} from './embedding-array';
import { NpyFile } from './npy-file';
import {
  NPY_ITEM_BYTES,
  NPY_PREFIX_BYTES,
  npyHeaderLength,
  parseNpyHeader,
  type NpyDtype,
} from './npy-header';
import { readZipDirectory, type ZipMember } from './zip-directory';

const STORED = 0;
const DEFLATED = 8;

const arrayName = (member: string) => member.replace(/\.npy$/, '');

/** Names of the arrays in an .npz (member names without ".npy"). */
export function listNpzArrays(file: string): string[] {
  return readZipDirectory(file)
    .filter((m) => m.name.endsWith('.npy'))
    .map((m) => arrayName(m.name));
}

/** One array of an .npz: `name` with or without ".npy". */
export async function openNpzArray(file: string, name: string): Promise<EmbeddingArray> {
  const members = readZipDirectory(file);
  const wanted = arrayName(name);
  const m = members.find((x) => arrayName(x.name) === wanted);
  if (!m) {
    const have = members.filter((x) => x.name.endsWith('.npy')).map((x) => arrayName(x.name));
    throw new EmbeddingArrayError(`${file} has no array "${wanted}" (it has: ${have.join(', ') || 'none'})`);
  }
  const source = `${file}:${wanted}`;
  if (m.method === STORED) return NpyFile.open(file, { offset: m.dataOffset, length: m.size, source });
  if (m.method === DEFLATED) return InflatedNpy.open(file, m, source);
  throw new EmbeddingArrayError(
    `${source}: zip compression method ${m.method} is not supported (stored or deflate are)`,
  );
}

/** Exactly-n-byte reads from a member's inflated byte stream. */
class InflatedBytes {
  private it: AsyncIterator<Buffer>;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private destroy: () => void;

  constructor(file: string, m: ZipMember) {
    const src = createReadStream(file, {
      start: m.dataOffset,
      end: m.dataOffset + Math.max(1, m.compressedSize) - 1,
      highWaterMark: 1 << 20,
    });
    const inflate = createInflateRaw({ chunkSize: 1 << 20 });
    pipeline(src, inflate, () => {}); // errors surface through the iterator
    this.it = inflate[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    this.destroy = () => {
      src.destroy();
      inflate.destroy();
    };
  }

  /** The next n bytes, into `into` when given. Throws at the end of the stream. */
  async take(n: number, what: string, into: Uint8Array = new Uint8Array(n)): Promise<Uint8Array> {
    while (this.pendingBytes < n) {
      const r = await this.it.next();
      if (r.done) throw new EmbeddingArrayError(`${what}: the compressed member ends early`);
      this.pending.push(r.value);
      this.pendingBytes += r.value.length;
    }
    let off = 0;
    while (off < n) {
      const head = this.pending[0]!;
      const k = Math.min(head.length, n - off);
      into.set(head.subarray(0, k), off);
      off += k;
      if (k === head.length) this.pending.shift();
      else this.pending[0] = head.subarray(k);
    }
    this.pendingBytes -= n;
    return into;
  }

  /** Discards n bytes (in bounded steps). */
  async skip(n: number, what: string): Promise<void> {
    const step = new Uint8Array(Math.min(n, 1 << 22));
    for (let left = n; left > 0;) {
      const k = Math.min(left, step.length);
      await this.take(k, what, step.subarray(0, k));
      left -= k;
    }
  }

  close(): void {
    this.destroy();
    this.pending = [];
  }
}

class InflatedNpy implements EmbeddingArray {
  private bytes: InflatedBytes | undefined;
  /** Row the stream is positioned at. */
  private pos = 0;
  private scratch = new Uint8Array(0);

  private constructor(
    private readonly file: string,
    private readonly member: ZipMember,
    readonly source: string,
    readonly dtype: NpyDtype,
    readonly rows: number,
    readonly cols: number,
  ) {}

  static async open(file: string, m: ZipMember, source: string): Promise<InflatedNpy> {
    const s = new InflatedBytes(file, m);
    try {
      const h = await readHeader(s, source);
      const need = h.dataOffset + h.rows * h.cols * NPY_ITEM_BYTES[h.dtype];
      if (need !== m.size) {
        throw new EmbeddingArrayError(
          `${source}: shape (${h.rows}, ${h.cols}) ${h.dtype} needs ${need} bytes, the member holds ${m.size}`,
        );
      }
      const a = new InflatedNpy(file, m, source, h.dtype, h.rows, h.cols);
      a.bytes = s;
      return a;
    } catch (e) {
      s.close();
      throw e;
    }
  }

  async read(start: number, count: number, out?: Float32Array): Promise<Float32Array> {
    checkRowRange(this, start, count);
    const rowBytes = this.cols * NPY_ITEM_BYTES[this.dtype];
    if (!this.bytes || start < this.pos) {
      // Backwards: restart the stream (resume after a cancel does this once).
      this.bytes?.close();
      this.bytes = new InflatedBytes(this.file, this.member);
      await readHeader(this.bytes, this.source);
      this.pos = 0;
    }
    await this.bytes.skip((start - this.pos) * rowBytes, this.source);
    const n = count * this.cols;
    const dst = outBuffer(n, out);
    if (this.dtype === '<f4') {
      await this.bytes.take(n * 4, this.source, new Uint8Array(dst.buffer, dst.byteOffset, n * 4));
    } else {
      const len = count * rowBytes;
      if (this.scratch.length < len) this.scratch = new Uint8Array(len);
      const raw = await this.bytes.take(len, this.source, this.scratch.subarray(0, len));
      decodeValues(raw, this.dtype, n, dst);
    }
    this.pos = start + count;
    return dst;
  }

  close(): void {
    this.bytes?.close();
    this.bytes = undefined;
  }
}

async function readHeader(s: InflatedBytes, source: string) {
  const prefix = await s.take(NPY_PREFIX_BYTES, source);
  const total = npyHeaderLength(prefix, source);
  const header = new Uint8Array(total);
  header.set(prefix);
  if (total > NPY_PREFIX_BYTES)
    await s.take(total - NPY_PREFIX_BYTES, source, header.subarray(NPY_PREFIX_BYTES));
  return parseNpyHeader(header, source);
}
