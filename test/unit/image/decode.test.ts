import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../../main/core/image/decode';
import { ImageError } from '../../../main/core/image/errors';
import { probeImage } from '../../../main/core/image/probe';
import {
  alphaPng,
  animated,
  bombPng,
  cmykJpeg,
  exifRotatedJpeg,
  greyPng,
  H,
  jpeg,
  png16,
  randomBytes,
  truncatedJpeg,
  W,
} from './fixtures';

function pixel(img: { data: Uint8Array; width: number }, x: number, y: number): number[] {
  const i = (y * img.width + x) * 3;
  return [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!];
}

function expectClose(actual: number[], expected: number[], tol: number): void {
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(tol));
}

async function kindOf(p: Promise<unknown>): Promise<string | undefined> {
  return p.then(
    () => undefined,
    (e: unknown) => (e instanceof ImageError ? e.kind : `not an ImageError: ${String(e)}`),
  );
}

describe('probeImage', () => {
  it('reads the header: format, size, depth, space, frames, orientation', async () => {
    expect(await probeImage(await png16())).toMatchObject({
      format: 'png',
      width: W,
      height: H,
      depth: 'ushort',
    });
    expect(await probeImage(await cmykJpeg())).toMatchObject({ format: 'jpeg', space: 'cmyk', channels: 4 });
    expect(await probeImage(await greyPng())).toMatchObject({ space: 'b-w', channels: 1 });
    expect(await probeImage(await alphaPng())).toMatchObject({ hasAlpha: true });
    expect(await probeImage(await animated('webp'))).toMatchObject({ pages: 2, height: H });
    expect(await probeImage(await exifRotatedJpeg())).toMatchObject({
      orientation: 6,
      width: W,
      height: H,
      displayWidth: H,
      displayHeight: W,
    });
  });

  it('reads the size of a decompression bomb without decoding it', async () => {
    expect(await probeImage(bombPng())).toMatchObject({ width: 50_000, height: 50_000 });
  });

  it('reports non-images as corrupt_image', async () => {
    expect(await kindOf(probeImage(randomBytes(2000)))).toBe('corrupt_image');
    expect(await kindOf(probeImage(Buffer.alloc(0)))).toBe('corrupt_image');
  });
});

describe('decodeImage', () => {
  it('returns RGB8 of the stored size', async () => {
    const img = await decodeImage(await jpeg(200, 30, 0));
    expect([img.width, img.height, img.data.length]).toEqual([W, H, W * H * 3]);
    expectClose(pixel(img, 10, 10), [200, 30, 0], 4);
  });

  it('converts CMYK to sRGB', async () => {
    const img = await decodeImage(await cmykJpeg());
    expect(img.data.length).toBe(W * H * 3);
    expectClose(pixel(img, 30, 20), [200, 30, 0], 30);
  });

  it('flattens alpha onto white', async () => {
    const img = await decodeImage(await alphaPng());
    expect(pixel(img, 5, 5)).toEqual([255, 255, 255]); // transparent black → white
    expectClose(pixel(img, W - 5, 5), [255, 127, 127], 2); // half red over white
  });

  it('reduces 16-bit to 8-bit', async () => {
    const img = await decodeImage(await png16());
    expect(img.data.length).toBe(W * H * 3);
    expectClose(pixel(img, 1, 1), [200, 30, 90], 1);
  });

  it('expands greyscale to RGB', async () => {
    const img = await decodeImage(await greyPng());
    expect(img.data.length).toBe(W * H * 3);
    const [r, g, b] = pixel(img, 3, 3);
    expect(r).toBe(g);
    expect(g).toBe(b);
    expectClose([r!], [90], 2);
  });

  it.each(['webp', 'gif'] as const)('takes the first frame of an animated %s', async (fmt) => {
    const img = await decodeImage(await animated(fmt));
    expect([img.width, img.height]).toEqual([W, H]);
    expectClose(pixel(img, 10, 10), [255, 0, 0], 8);
    expectClose(pixel(img, 10, H - 2), [255, 0, 0], 8);
  });

  it('applies EXIF orientation 6: dimensions swapped, pixels rotated clockwise', async () => {
    const img = await decodeImage(await exifRotatedJpeg());
    expect([img.width, img.height]).toEqual([H, W]);
    // Stored top half (red) becomes the right half once rotated clockwise.
    expectClose(pixel(img, H - 4, W / 2), [255, 0, 0], 40);
    expectClose(pixel(img, 4, W / 2), [0, 0, 255], 40);
  });

  it('applies the orientation before fitting', async () => {
    const img = await decodeImage(await exifRotatedJpeg(), { fit: { width: 24, height: 32, mode: 'fill' } });
    expect([img.width, img.height]).toEqual([24, 32]);
    expectClose(pixel(img, 22, 16), [255, 0, 0], 40);
  });

  it.each([
    ['cover', 32, 32],
    ['contain', 32, 32],
    ['fill', 20, 40],
  ] as const)('fits with %s to exactly the requested size', async (mode, w, h) => {
    const img = await decodeImage(await jpeg(0, 200, 0, 120, 60), { fit: { width: w, height: h, mode } });
    expect([img.width, img.height, img.data.length]).toEqual([w, h, w * h * 3]);
    if (mode === 'contain') {
      expectClose(pixel(img, 16, 0), [255, 255, 255], 2); // padding
      expectClose(pixel(img, 16, 16), [0, 200, 0], 6);
    } else {
      expectClose(pixel(img, 0, 0), [0, 200, 0], 6);
    }
  });

  it('reports truncated, random and empty data as corrupt_image', async () => {
    expect(await kindOf(decodeImage(await truncatedJpeg()))).toBe('corrupt_image');
    expect(await kindOf(decodeImage(randomBytes(4096)))).toBe('corrupt_image');
    expect(await kindOf(decodeImage(Buffer.alloc(0)))).toBe('corrupt_image');
  });

  it('refuses a 50,000 × 50,000 PNG header as image_too_large without allocating', async () => {
    const before = process.memoryUsage().rss;
    const t0 = performance.now();
    expect(await kindOf(decodeImage(bombPng()))).toBe('image_too_large');
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('refuses vector images', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
    );
    expect(await kindOf(decodeImage(svg))).toBe('unreadable_image');
  });

  it('honours a lower maxPixels', async () => {
    expect(await kindOf(decodeImage(await jpeg(), { maxPixels: W * H - 1 }))).toBe('image_too_large');
    expect(await kindOf(decodeImage(await jpeg(), { maxPixels: W * H }))).toBeUndefined();
  });
});
