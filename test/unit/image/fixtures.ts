// Image fixtures built at test time with sharp, plus a tiny ustar writer and a
// handcrafted PNG header for the decompression-bomb test.
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

export const W = 64;
export const H = 48;

/** Solid colour, W × H, as raw RGB. */
export function solid(r: number, g: number, b: number, w = W, h = H): Buffer {
  const buf = Buffer.alloc(w * h * 3);
  for (let i = 0; i < w * h; i++) buf.set([r, g, b], i * 3);
  return buf;
}

export const raw = (w = W, h = H, channels: 3 | 4 = 3) => ({ raw: { width: w, height: h, channels } });

export async function jpeg(r = 200, g = 30, b = 0, w = W, h = H): Promise<Buffer> {
  return sharp(solid(r, g, b, w, h), raw(w, h))
    .jpeg({ quality: 95 })
    .toBuffer();
}

export async function cmykJpeg(): Promise<Buffer> {
  return sharp(solid(200, 30, 0), raw())
    .toColourspace('cmyk')
    .jpeg({ quality: 95 })
    .toBuffer();
}

/** Left half fully transparent black, right half half-transparent red. */
export async function alphaPng(): Promise<Buffer> {
  const buf = Buffer.alloc(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 4;
      buf.set(x < W / 2 ? [0, 0, 0, 0] : [255, 0, 0, 128], i);
    }
  }
  return sharp(buf, raw(W, H, 4))
    .png()
    .toBuffer();
}

export async function png16(): Promise<Buffer> {
  return sharp(solid(200, 30, 90), raw())
    .toColourspace('rgb16')
    .png()
    .toBuffer();
}

export async function greyPng(): Promise<Buffer> {
  return sharp(solid(90, 90, 90), raw())
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

/** Two frames: red then blue. */
export async function animated(format: 'webp' | 'gif'): Promise<Buffer> {
  const frames = Buffer.concat([solid(255, 0, 0), solid(0, 0, 255)]);
  const img = sharp(frames, { raw: { width: W, height: H * 2, channels: 3, pageHeight: H } });
  return format === 'webp'
    ? img.webp({ loop: 0, delay: [100, 100], lossless: true }).toBuffer()
    : img.gif({ loop: 0, delay: [100, 100] }).toBuffer();
}

/** Stored W × H, top half red, bottom half blue, EXIF orientation 6 (rotate 90° clockwise). */
export async function exifRotatedJpeg(): Promise<Buffer> {
  const buf = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) buf.set(y < H / 2 ? [255, 0, 0] : [0, 0, 255], (y * W + x) * 3);
  }
  return sharp(buf, raw()).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
}

export async function truncatedJpeg(): Promise<Buffer> {
  const noisy = await sharp({
    create: {
      width: 300,
      height: 300,
      channels: 3,
      background: 'grey',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .jpeg()
    .toBuffer();
  return noisy.subarray(0, noisy.length >> 1);
}

export function randomBytes(n: number, seed = 7): Buffer {
  const buf = Buffer.alloc(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    buf[i] = s >>> 24;
  }
  return buf;
}

function crc32(buf: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of buf) {
    let c = (crc ^ byte) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid PNG header declaring width × height RGB8, with a tiny IDAT: a decompression bomb. */
export function bombPng(width = 50_000, height = 50_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(4096))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export interface TarEntry {
  name: string;
  data: Buffer;
}

/** A ustar archive and the data offset of each member. */
export function buildTar(entries: TarEntry[]): { tar: Buffer; offsets: Map<string, number> } {
  const parts: Buffer[] = [];
  const offsets = new Map<string, number>();
  let pos = 0;
  for (const { name, data } of entries) {
    const h = Buffer.alloc(512);
    h.write(name, 0, 100, 'utf8');
    h.write('0000644\0', 100, 'latin1');
    h.write('0000000\0', 108, 'latin1');
    h.write('0000000\0', 116, 'latin1');
    h.write(data.length.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
    h.write('00000000000\0', 136, 'latin1');
    h.write('        ', 148, 'latin1');
    h.write('0', 156, 'latin1');
    h.write('ustar\0', 257, 'latin1');
    h.write('00', 263, 'latin1');
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    parts.push(h);
    offsets.set(name, pos + 512);
    const padded = Buffer.alloc(Math.ceil(data.length / 512) * 512);
    data.copy(padded);
    parts.push(padded);
    pos += 512 + padded.length;
  }
  parts.push(Buffer.alloc(1024));
  return { tar: Buffer.concat(parts), offsets };
}
