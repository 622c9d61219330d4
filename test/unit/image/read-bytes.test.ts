import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageRef } from '../../../main/core/dataset/types';
import { ImageError } from '../../../main/core/image/errors';
import { readImageBytes } from '../../../main/core/image/read-bytes';
import { buildTar, jpeg, randomBytes } from './fixtures';

let base: string;
let root: string;
let outside: string;
const images: Buffer[] = [];

async function expectKind(p: Promise<unknown>, kind: string): Promise<ImageError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ImageError);
  expect((e as ImageError).kind).toBe(kind);
  expect((e as ImageError).message.length).toBeGreaterThan(10);
  return e as ImageError;
}

beforeAll(async () => {
  base = mkdtempSync(path.join(tmpdir(), 'img-read-'));
  root = path.join(base, 'dataset');
  outside = path.join(base, 'outside');
  mkdirSync(path.join(root, 'sub'), { recursive: true });
  mkdirSync(outside);
  for (let i = 0; i < 5; i++) images.push(await jpeg(40 * i, 100, 200 - 30 * i));
  writeFileSync(path.join(root, 'sub', 'a.jpg'), images[0]!);
  writeFileSync(path.join(outside, 'secret.jpg'), images[1]!);
  symlinkSync(path.join(outside, 'secret.jpg'), path.join(root, 'link.jpg'));
  symlinkSync(outside, path.join(root, 'linkdir'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('readImageBytes: files', () => {
  it('reads a file under the root', async () => {
    const buf = await readImageBytes(root, { kind: 'file', path: 'sub/a.jpg' });
    expect(buf.equals(images[0]!)).toBe(true);
  });

  it('accepts the dataset file itself as root (paths relative to its folder)', async () => {
    writeFileSync(path.join(root, 'captions.tsv'), 'image\tcaption\n');
    const buf = await readImageBytes(path.join(root, 'captions.tsv'), { kind: 'file', path: 'sub/a.jpg' });
    expect(buf.equals(images[0]!)).toBe(true);
  });

  it('reports a missing file as missing_image', async () => {
    await expectKind(readImageBytes(root, { kind: 'file', path: 'sub/nope.jpg' }), 'missing_image');
  });

  it('reports a folder as unreadable_image', async () => {
    await expectKind(readImageBytes(root, { kind: 'file', path: 'sub' }), 'unreadable_image');
  });

  it('refuses files over maxBytes', async () => {
    await expectKind(
      readImageBytes(root, { kind: 'file', path: 'sub/a.jpg' }, { maxBytes: 100 }),
      'image_too_large',
    );
  });

  it.each([
    ['../outside/secret.jpg'],
    ['sub/../../outside/secret.jpg'],
    ['link.jpg'],
    ['linkdir/secret.jpg'],
  ])('refuses %s as path_escape', async (p) => {
    await expectKind(readImageBytes(root, { kind: 'file', path: p }), 'path_escape');
  });

  it('refuses an absolute path as path_escape', async () => {
    await expectKind(
      readImageBytes(root, { kind: 'file', path: path.join(outside, 'secret.jpg') }),
      'path_escape',
    );
  });

  it('says url and none images are not on disk', async () => {
    const e = await expectKind(
      readImageBytes(root, { kind: 'url', url: 'https://x.test/a.jpg' }),
      'missing_image',
    );
    expect(e.message).toMatch(/not on disk/);
    await expectKind(readImageBytes(root, { kind: 'none' }), 'missing_image');
  });
});

describe('readImageBytes: tar members', () => {
  let offsets: Map<string, number>;
  let tarSize: number;

  beforeAll(() => {
    const built = buildTar(images.map((data, i) => ({ name: `shard/${i}.jpg`, data })));
    offsets = built.offsets;
    tarSize = built.tar.length;
    writeFileSync(path.join(root, 'shard-0.tar'), built.tar);
    writeFileSync(path.join(root, 'cut.tar'), built.tar.subarray(0, offsets.get('shard/4.jpg')! + 10));
  });

  const ref = (i: number, over: Partial<Extract<ImageRef, { kind: 'tar' }>> = {}): ImageRef => ({
    kind: 'tar',
    path: 'shard-0.tar',
    member: `shard/${i}.jpg`,
    offset: offsets.get(`shard/${i}.jpg`)!,
    size: images[i]!.length,
    ...over,
  });

  it('reads each member at its offset', async () => {
    for (let i = 0; i < images.length; i++) {
      const buf = await readImageBytes(root, ref(i));
      expect(buf.equals(images[i]!)).toBe(true);
    }
  });

  it('reports a member past the end of the file as truncated_archive', async () => {
    await expectKind(readImageBytes(root, ref(4, { path: 'cut.tar' })), 'truncated_archive');
    await expectKind(readImageBytes(root, ref(0, { offset: tarSize - 100 })), 'truncated_archive');
  });

  it('notices an offset that does not follow a tar header', async () => {
    await expectKind(
      readImageBytes(root, ref(1, { offset: offsets.get('shard/1.jpg')! + 512 })),
      'unreadable_image',
    );
    await expectKind(readImageBytes(root, ref(1, { size: images[1]!.length - 1 })), 'unreadable_image');
  });

  it('confines the tar path', async () => {
    await expectKind(readImageBytes(root, ref(0, { path: '../outside/x.tar' })), 'path_escape');
  });

  it('reads members of a tar written by the system tar, when there is one', async (ctx) => {
    const dir = path.join(base, 'systar');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'x.jpg'), images[2]!);
    try {
      execFileSync('tar', ['-cf', path.join(root, 'sys.tar'), '-C', dir, 'x.jpg']);
    } catch {
      ctx.skip();
    }
    // GNU/BSD tar put the first member's data right after one header block.
    const buf = await readImageBytes(root, {
      kind: 'tar',
      path: 'sys.tar',
      member: 'x.jpg',
      offset: 512,
      size: images[2]!.length,
    });
    expect(buf.equals(images[2]!)).toBe(true);
  });
});

describe('readImageBytes: parquet cells', () => {
  beforeAll(() => {
    const cells: (Uint8Array | null)[] = [...images, null, new Uint8Array(randomBytes(50))];
    const ab = parquetWriteBuffer({
      columnData: [
        { name: 'key', data: cells.map((_, i) => `k${i}`), type: 'STRING' },
        { name: 'jpg', data: cells, type: 'BYTE_ARRAY', nullable: true },
      ],
      rowGroupSize: 3, // several row groups: the read must pick the right one
    });
    writeFileSync(path.join(root, 'part-0.parquet'), Buffer.from(ab));
  });

  const ref = (row: number, column = 'jpg'): ImageRef => ({
    kind: 'parquet',
    path: 'part-0.parquet',
    row,
    column,
  });

  it('reads the bytes of each row', async () => {
    for (let i = 0; i < images.length; i++) {
      const buf = await readImageBytes(root, ref(i));
      expect(Buffer.compare(buf, images[i]!)).toBe(0);
    }
    const last = await readImageBytes(root, ref(6));
    expect(last.equals(randomBytes(50))).toBe(true);
  });

  it('reports null cells and rows past the end as missing_image', async () => {
    await expectKind(readImageBytes(root, ref(5)), 'missing_image');
    await expectKind(readImageBytes(root, ref(7)), 'missing_image');
  });

  it('reports an unknown column or a non-parquet file as unreadable_image', async () => {
    await expectKind(readImageBytes(root, ref(0, 'png')), 'unreadable_image');
    await expectKind(
      readImageBytes(root, { kind: 'parquet', path: 'sub/a.jpg', row: 0, column: 'jpg' }),
      'unreadable_image',
    );
  });

  it('confines the parquet path', async () => {
    await expectKind(
      readImageBytes(root, { kind: 'parquet', path: '/etc/x.parquet', row: 0, column: 'jpg' }),
      'path_escape',
    );
  });
});
