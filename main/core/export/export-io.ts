// Every byte an export writes goes through here: a hash and a count per file for the
// manifest, buffered writes (a line per pair would be a syscall per pair), and one
// injectable seam (ExportIo) so tests can make the disk fail half-way.
import { createHash, type Hash } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { FileWriteError } from './errors';
import type { ExportedFile } from './types';

/** A file opened for writing. */
export interface ExportFileHandle {
  write(data: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export interface ExportIo {
  /** Creates `file` (absolute; must not exist yet) for writing. */
  create(file: string): Promise<ExportFileHandle>;
}

export const nodeIo: ExportIo = {
  async create(file) {
    const fh = await open(file, 'wx');
    return {
      async write(data) {
        let done = 0;
        try {
          while (done < data.byteLength) {
            const { bytesWritten } = await fh.write(data, done, data.byteLength - done);
            done += bytesWritten;
          }
        } catch (e) {
          // A full disk often takes part of a write first: keep the count for the message.
          if (e && typeof e === 'object') (e as PartialWrite).partialBytes = done;
          throw e;
        }
      },
      // Each file reaches the disk before the folder is renamed into place: after a power
      // cut a folder under its final name never holds a file the cache had not written.
      // A full disk can also first show up here (delayed allocation, network file systems).
      async close() {
        try {
          await fh.datasync();
        } finally {
          await fh.close();
        }
      },
    };
  },
};

/** An error after part of a write went through (`partialBytes` of it). */
interface PartialWrite {
  partialBytes?: number;
}

const FLUSH_BYTES = 1 << 20;

/** One output file: buffered, hashed, counted. Errors name the file. */
export class OutFile {
  private readonly hash: Hash = createHash('sha256');
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private closed = false;
  /** Bytes given to write() (the file's size once closed). */
  bytes = 0;
  /** Bytes the file system accepted so far (what a full disk message reports). */
  onDisk = 0;

  constructor(
    readonly rel: string,
    private readonly handle: ExportFileHandle,
    private readonly onClose: (f: ExportedFile) => void,
  ) {}

  async write(data: string | Uint8Array): Promise<void> {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (buf.byteLength === 0) return;
    this.hash.update(buf);
    this.bytes += buf.byteLength;
    // Large chunks (image bytes) go straight through; small ones (lines) are gathered.
    if (buf.byteLength >= FLUSH_BYTES) {
      await this.flush();
      await this.raw(buf);
      return;
    }
    this.chunks.push(buf);
    this.buffered += buf.byteLength;
    if (this.buffered >= FLUSH_BYTES) await this.flush();
  }

  private async raw(buf: Uint8Array): Promise<void> {
    try {
      await this.handle.write(buf);
      this.onDisk += buf.byteLength;
    } catch (e) {
      this.onDisk += (e as PartialWrite | null)?.partialBytes ?? 0;
      throw new FileWriteError(this.rel, e);
    }
  }

  async flush(): Promise<void> {
    if (this.buffered === 0) return;
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = [];
    this.buffered = 0;
    await this.raw(all);
  }

  async close(): Promise<ExportedFile> {
    if (this.closed) throw new Error(`${this.rel} is already closed`);
    this.closed = true;
    let failure: unknown;
    try {
      await this.flush();
    } catch (e) {
      failure = e;
    }
    try {
      await this.handle.close();
    } catch (e) {
      // A close can be where a full disk shows up (delayed write-back).
      failure ??= new FileWriteError(this.rel, e);
    }
    if (failure !== undefined) throw failure;
    const f: ExportedFile = { path: this.rel, bytes: this.bytes, sha256: this.hash.digest('hex') };
    this.onClose(f);
    return f;
  }

  /** Closes the handle after a failure, ignoring errors (the folder is removed anyway). */
  async abandon(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close().catch(() => undefined);
  }
}

/** The files of one export, created under its staging folder. */
export class StagedFiles {
  readonly files: ExportedFile[] = [];
  private readonly open = new Set<OutFile>();

  constructor(
    readonly dir: string,
    private readonly io: ExportIo,
  ) {}

  async create(rel: string): Promise<OutFile> {
    const abs = path.join(this.dir, ...rel.split('/'));
    let handle: ExportFileHandle;
    try {
      await mkdir(path.dirname(abs), { recursive: true });
      handle = await this.io.create(abs);
    } catch (e) {
      throw new FileWriteError(rel, e);
    }
    const f = new OutFile(rel, handle, (done) => {
      this.open.delete(f);
      this.files.push(done);
    });
    this.open.add(f);
    return f;
  }

  /** Writes a whole small file (json, text) at once. */
  async writeWhole(rel: string, data: string | Uint8Array): Promise<ExportedFile> {
    const f = await this.create(rel);
    try {
      await f.write(data);
      return await f.close();
    } catch (e) {
      await f.abandon();
      throw e;
    }
  }

  /** Bytes the file system accepted so far, over closed and open files. */
  get bytesWritten(): number {
    let n = 0;
    for (const f of this.files) n += f.bytes;
    for (const f of this.open) n += f.onDisk;
    return n;
  }

  /** Closes whatever is still open after a failure, so the folder can be removed. */
  async abandonAll(): Promise<void> {
    for (const f of [...this.open]) await f.abandon();
    this.open.clear();
  }
}
