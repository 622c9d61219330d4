// Positioned reads of a big file through one window: consecutive small reads (tar
// headers, txt and json members) are served from a multi-megabyte buffer filled by one
// read call, and reads far ahead (past a large image) jump there. One syscall per window,
// never a per-byte stream.
import type { FileHandle } from 'node:fs/promises';

export const DEFAULT_WINDOW = 4 * 1024 * 1024;

export class BlockReader {
  private buf: Buffer;
  private start = 0;
  private end = 0;
  /** Bytes actually read from disk, for progress. */
  bytesRead = 0;

  constructor(
    private readonly fh: FileHandle,
    readonly size: number,
    private readonly window = DEFAULT_WINDOW,
  ) {
    this.buf = Buffer.allocUnsafe(window);
  }

  /** The bytes when the window already holds them (no await on the hot path), else undefined. */
  cached(offset: number, length: number): Buffer | undefined {
    const want = Math.max(0, Math.min(length, this.size - offset));
    if (offset >= this.start && offset + want <= this.end) {
      return this.buf.subarray(offset - this.start, offset - this.start + want);
    }
    return undefined;
  }

  /**
   * Bytes [offset, offset + length) clipped to the end of the file. The returned buffer
   * may be a view of the window: copy it before the next call if it must live on.
   */
  async read(offset: number, length: number): Promise<Buffer> {
    const want = Math.max(0, Math.min(length, this.size - offset));
    if (offset >= this.start && offset + want <= this.end) {
      return this.buf.subarray(offset - this.start, offset - this.start + want);
    }
    if (want > this.buf.length) this.buf = Buffer.allocUnsafe(want);
    const toRead = Math.min(this.buf.length, this.size - offset);
    let got = 0;
    while (got < toRead) {
      const { bytesRead } = await this.fh.read(this.buf, got, toRead - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    this.bytesRead += got;
    this.start = offset;
    this.end = offset + got;
    return this.buf.subarray(0, Math.min(want, got));
  }
}
