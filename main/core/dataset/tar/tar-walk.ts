// Lists the members of an uncompressed tar with the file offset of each member's data, so
// images are later read in place (ImageRef kind 'tar').
//
// Why a parser of our own: tar-stream (extract) and node-tar (Parser/list) are push
// parsers fed every byte of the archive; neither reports where a member's data starts in
// the file, and both would make us read every image byte just to skip it. Reading
// headers with positioned reads is ~100 lines: ustar (name + prefix), base-256 sizes, pax
// extended headers ('x'; 'g' for global) and GNU long names ('L').
import type { BlockReader } from './block-reader';

export interface TarMember {
  /** Member path as stored ('/'-separated). */
  name: string;
  /** Offset of the header block (of the first extension header, if any). */
  headerOffset: number;
  /** Offset of the first data byte. */
  offset: number;
  size: number;
}

export type TarEvent =
  | { type: 'member'; member: TarMember }
  /** The archive stops in the middle of `name` (or of a header when name is undefined). */
  | { type: 'truncated'; name: string | undefined; offset: number; message: string }
  /** A header that is not a tar header (bad checksum): the rest cannot be trusted. */
  | { type: 'corrupt'; offset: number; message: string };

const BLOCK = 512;
const textDecoder = new TextDecoder('utf-8');

function cString(buf: Buffer, start: number, len: number): string {
  let end = start;
  const stop = start + len;
  while (end < stop && buf[end] !== 0) end++;
  return textDecoder.decode(buf.subarray(start, end));
}

/** Octal ascii (space/NUL padded) or GNU base-256 (high bit set). */
function tarNumber(buf: Buffer, start: number, len: number): number {
  if (buf[start]! & 0x80) {
    let v = buf[start]! & 0x7f;
    for (let i = start + 1; i < start + len; i++) v = v * 256 + buf[i]!;
    return v;
  }
  const s = cString(buf, start, len).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

function checksumOk(h: Buffer): boolean {
  const stored = tarNumber(h, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  return sum === stored;
}

function isZeroBlock(h: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (h[i] !== 0) return false;
  return true;
}

/** pax records "<len> <key>=<value>\n"; only path and size matter here. */
function parsePax(body: Buffer): { path?: string; size?: number } {
  const out: { path?: string; size?: number } = {};
  let pos = 0;
  while (pos < body.length) {
    const sp = body.indexOf(0x20, pos);
    if (sp < 0) break;
    const len = parseInt(body.toString('latin1', pos, sp), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const rec = textDecoder.decode(body.subarray(sp + 1, pos + len - 1));
    const eq = rec.indexOf('=');
    if (eq > 0) {
      const k = rec.slice(0, eq);
      const v = rec.slice(eq + 1);
      if (k === 'path') out.path = v;
      else if (k === 'size') out.size = Number(v);
    }
    pos += len;
  }
  return out;
}

const padded = (n: number): number => Math.ceil(n / BLOCK) * BLOCK;

/** Walks the headers of the tar read by `r`, yielding regular-file members in order. */
export async function* walkTar(r: BlockReader): AsyncGenerator<TarEvent> {
  let pos = 0;
  let longName: string | undefined;
  let pax: { path?: string; size?: number } = {};
  let globalPax: { path?: string; size?: number } = {};
  let extStart: number | undefined;
  while (pos < r.size) {
    const h = r.cached(pos, BLOCK) ?? (await r.read(pos, BLOCK));
    if (h.length < BLOCK) {
      yield {
        type: 'truncated',
        name: longName ?? pax.path,
        offset: pos,
        message: `the archive ends inside a header at byte ${pos}`,
      };
      return;
    }
    if (isZeroBlock(h)) return; // end-of-archive marker
    if (!checksumOk(h)) {
      yield { type: 'corrupt', offset: pos, message: `bad tar header checksum at byte ${pos}` };
      return;
    }
    const typeflag = String.fromCharCode(h[156]!);
    let name = cString(h, 0, 100);
    if (h.toString('latin1', 257, 263) === 'ustar\0') {
      const prefix = cString(h, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    const size = pax.size ?? globalPax.size ?? tarNumber(h, 124, 12);
    const dataStart = pos + BLOCK;
    const headerOffset = extStart ?? pos;
    const next = dataStart + padded(size);
    const dataComplete = dataStart + size <= r.size;

    if (typeflag === 'x' || typeflag === 'g' || typeflag === 'L' || typeflag === 'K') {
      if (!dataComplete) {
        yield {
          type: 'truncated',
          name: undefined,
          offset: pos,
          message: `the archive ends inside an extended header at byte ${pos}`,
        };
        return;
      }
      const body = Buffer.from(await r.read(dataStart, size));
      if (typeflag === 'x') pax = { ...pax, ...parsePax(body) };
      else if (typeflag === 'g') globalPax = { ...globalPax, ...parsePax(body) };
      else if (typeflag === 'L') longName = cString(body, 0, body.length);
      extStart ??= pos;
      pos = next;
      continue;
    }

    const fullName = longName ?? pax.path ?? globalPax.path ?? name;
    longName = undefined;
    pax = {};
    extStart = undefined;
    // Regular files only ('0', NUL, contiguous '7'); directories, links, devices are skipped.
    if (typeflag === '0' || typeflag === '\0' || typeflag === '7') {
      if (!dataComplete) {
        yield {
          type: 'truncated',
          name: fullName,
          offset: dataStart,
          message: `the archive ends inside ${fullName} (${size} bytes declared at byte ${dataStart}, file is ${r.size} bytes)`,
        };
        return;
      }
      yield { type: 'member', member: { name: fullName, headerOffset, offset: dataStart, size } };
    }
    pos = next;
  }
}
