// Line-by-line reading of text datasets as raw bytes (so each caption's UTF-8 can be
// checked on its own), gunzipping `.gz` on the fly. Memory stays one chunk + one line.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export interface RawLine {
  bytes: Buffer;
  /** 1-based. */
  lineNo: number;
}

/** A read stream of `file`, gunzipped when its name ends in .gz; `onBytes` counts file bytes. */
export function openTextStream(file: string, onBytes?: (n: number) => void): Readable {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  if (onBytes) raw.on('data', (c: Buffer | string) => onBytes(c.length));
  if (!file.toLowerCase().endsWith('.gz')) return raw;
  const gunzip = createGunzip();
  raw.on('error', (e) => gunzip.destroy(e));
  return raw.pipe(gunzip);
}

/** Splits a byte stream into lines (LF or CRLF), dropping the end-of-line bytes. */
export async function* splitLines(stream: AsyncIterable<Buffer>): AsyncGenerator<RawLine> {
  let rest: Buffer | undefined;
  let lineNo = 0;
  for await (const chunk of stream) {
    let buf = rest ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, start);
      if (nl < 0) break;
      const end = nl > start && buf[nl - 1] === 0x0d ? nl - 1 : nl;
      yield { bytes: buf.subarray(start, end), lineNo: ++lineNo };
      start = nl + 1;
    }
    rest = start < buf.length ? Buffer.from(buf.subarray(start)) : undefined;
    buf = Buffer.alloc(0);
  }
  if (rest && rest.length > 0) {
    const end = rest[rest.length - 1] === 0x0d ? rest.length - 1 : rest.length;
    yield { bytes: rest.subarray(0, end), lineNo: ++lineNo };
  }
}

/** Lines of a (possibly gzipped) text file. */
export function readLines(file: string, onBytes?: (n: number) => void): AsyncGenerator<RawLine> {
  return splitLines(openTextStream(file, onBytes) as AsyncIterable<Buffer>);
}

/** The first bytes of a file (decompressed when .gz), for sniffing. */
export async function readHead(file: string, maxBytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  const stream = openTextStream(file);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      n += chunk.length;
      if (n >= maxBytes) break;
    }
  } catch {
    // A broken gzip still yields what it decoded so far.
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, maxBytes);
}
