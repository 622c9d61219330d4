// The member list of a zip file (an .npz) from its central directory, ZIP64 included
// (numpy writes every member of a large savez with ZIP64 fields). Only the directory and
// the members' local headers are read, never the data.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { EmbeddingArrayError } from './embedding-array';
import { readFullyAt } from './npy-file';

export interface ZipMember {
  name: string;
  /** 0 = stored, 8 = deflate. */
  method: number;
  compressedSize: number;
  size: number;
  /** Absolute position of the member's first (compressed) data byte. */
  dataOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const U32_MAX = 0xffffffff;

function u64(v: DataView, at: number): number {
  const n = v.getBigUint64(at, true);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new EmbeddingArrayError(`zip offset ${n} too large`);
  return Number(n);
}

function readAt(fd: number, pos: number, len: number, what: string): DataView {
  const b = new Uint8Array(len);
  readFullyAt(fd, b, pos, what);
  return new DataView(b.buffer);
}

export function readZipDirectory(file: string): ZipMember[] {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    // The end record is 22 bytes plus a comment of at most 65535.
    const tailLen = Math.min(size, 22 + 65535);
    const tail = readAt(fd, size - tailLen, tailLen, file);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tail.getUint32(i, true) === EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0)
      throw new EmbeddingArrayError(`${file} is not a zip (.npz) file: no end-of-directory record`);
    let entries = tail.getUint16(eocd + 10, true);
    let dirSize = tail.getUint32(eocd + 12, true);
    let dirOffset = tail.getUint32(eocd + 16, true);
    if (entries === 0xffff || dirSize === U32_MAX || dirOffset === U32_MAX) {
      const locAt = size - tailLen + eocd - 20;
      const loc = readAt(fd, locAt, 20, file);
      if (loc.getUint32(0, true) !== ZIP64_LOCATOR)
        throw new EmbeddingArrayError(`${file}: ZIP64 locator missing`);
      const z = readAt(fd, u64(loc, 8), 56, file);
      if (z.getUint32(0, true) !== ZIP64_EOCD)
        throw new EmbeddingArrayError(`${file}: ZIP64 end record missing`);
      entries = u64(z, 32);
      dirSize = u64(z, 40);
      dirOffset = u64(z, 48);
    }
    const dir = readAt(fd, dirOffset, dirSize, file);
    const members: ZipMember[] = [];
    let p = 0;
    for (let e = 0; e < entries; e++) {
      if (dir.getUint32(p, true) !== CENTRAL) throw new EmbeddingArrayError(`${file}: corrupt zip directory`);
      const flags = dir.getUint16(p + 8, true);
      const method = dir.getUint16(p + 10, true);
      let compressedSize = dir.getUint32(p + 20, true);
      let usize = dir.getUint32(p + 24, true);
      const nameLen = dir.getUint16(p + 28, true);
      const extraLen = dir.getUint16(p + 30, true);
      const commentLen = dir.getUint16(p + 32, true);
      let localOffset = dir.getUint32(p + 42, true);
      const name = new TextDecoder().decode(new Uint8Array(dir.buffer, p + 46, nameLen));
      // ZIP64 extra field: the 64-bit values, in this order, of those saturated above.
      for (let x = p + 46 + nameLen; x + 4 <= p + 46 + nameLen + extraLen;) {
        const id = dir.getUint16(x, true);
        const len = dir.getUint16(x + 2, true);
        if (id === 0x0001) {
          let q = x + 4;
          if (usize === U32_MAX) {
            usize = u64(dir, q);
            q += 8;
          }
          if (compressedSize === U32_MAX) {
            compressedSize = u64(dir, q);
            q += 8;
          }
          if (localOffset === U32_MAX) localOffset = u64(dir, q);
        }
        x += 4 + len;
      }
      if (flags & 1) throw new EmbeddingArrayError(`${file}: member ${name} is encrypted`);
      const local = readAt(fd, localOffset, 30, file);
      if (local.getUint32(0, true) !== LOCAL)
        throw new EmbeddingArrayError(`${file}: bad local header for ${name}`);
      const dataOffset = localOffset + 30 + local.getUint16(26, true) + local.getUint16(28, true);
      members.push({ name, method, compressedSize, size: usize, dataOffset });
      p += 46 + nameLen + extraLen + commentLen;
    }
    return members;
  } finally {
    closeSync(fd);
  }
}
