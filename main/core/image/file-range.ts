// Positioned reads: tar members and parquet pages are read in place, never by
// loading the whole container.
import type { FileHandle } from 'node:fs/promises';

/** Reads exactly `length` bytes at `position`, or fewer if the file ends first. */
export async function readRange(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buf, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? buf : buf.subarray(0, done);
}
