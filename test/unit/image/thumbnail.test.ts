import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageRef } from '../../../main/core/dataset/types';
import { ImageError } from '../../../main/core/image/errors';
import { probeImage } from '../../../main/core/image/probe';
import { getThumbnail, thumbnailPath } from '../../../main/core/image/thumbnail';
import { isWithinAny } from '../../../main/core/util/paths';
import { jpeg, randomBytes } from './fixtures';

let base: string;
let root: string;
let workspace: string;
const ref: ImageRef = { kind: 'file', path: 'big.jpg' };

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

beforeEach(async () => {
  base = mkdtempSync(path.join(tmpdir(), 'thumbs-'));
  root = path.join(base, 'data');
  workspace = path.join(base, 'ws');
  mkdirSync(root);
  mkdirSync(workspace);
  writeFileSync(path.join(root, 'big.jpg'), await jpeg(10, 120, 240, 600, 400));
  writeFileSync(path.join(root, 'bad.jpg'), randomBytes(3000));
});

afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('getThumbnail', () => {
  it('writes a WebP under <workspace>/thumbs/<dataset>/<shard>/<hash>.webp', async () => {
    const file = await getThumbnail({ workspace, datasetId: 'ds1', root, ref });
    expect(file).toBe(thumbnailPath(workspace, 'ds1', ref));
    expect(isWithinAny(file, [workspace])).toBe(true);
    const rel = path.relative(workspace, file).split(path.sep);
    expect(rel[0]).toBe('thumbs');
    expect(rel[1]).toBe('ds1');
    expect(rel[3]!.startsWith(rel[2]!)).toBe(true);
    expect(rel[2]).toHaveLength(2);
    const meta = await probeImage(await import('node:fs/promises').then((fs) => fs.readFile(file)));
    expect(meta).toMatchObject({ format: 'webp', width: 256, height: 171 });
    expect(listFiles(workspace)).toEqual([file]);
    expect(listFiles(root)).toHaveLength(2); // nothing written beside the dataset
  });

  it('does not re-render on the second call', async () => {
    const file = await getThumbnail({ workspace, datasetId: 'ds1', root, ref });
    const first = statSync(file).mtimeMs;
    await new Promise((r) => setTimeout(r, 30));
    expect(await getThumbnail({ workspace, datasetId: 'ds1', root, ref })).toBe(file);
    expect(statSync(file).mtimeMs).toBe(first);
  });

  it('keys the cache by size and reference', async () => {
    const a = await getThumbnail({ workspace, datasetId: 'ds1', root, ref, size: 64 });
    const b = await getThumbnail({ workspace, datasetId: 'ds1', root, ref, size: 128 });
    expect(a).not.toBe(b);
    expect((await probeImage(await import('node:fs/promises').then((fs) => fs.readFile(a)))).width).toBe(64);
    // Same reference with keys in another order: same file.
    const t1: ImageRef = { kind: 'tar', path: 'x.tar', member: 'a.jpg', offset: 512, size: 10 };
    const t2 = { size: 10, offset: 512, member: 'a.jpg', path: 'x.tar', kind: 'tar' } as ImageRef;
    expect(thumbnailPath(workspace, 'd', t1)).toBe(thumbnailPath(workspace, 'd', t2));
  });

  it('is safe with concurrent callers and leaves no temp files', async () => {
    const calls = Array.from({ length: 6 }, () => getThumbnail({ workspace, datasetId: 'ds1', root, ref }));
    const files = await Promise.all(calls);
    expect(new Set(files).size).toBe(1);
    expect(listFiles(workspace)).toEqual([files[0]]);
  });

  it('refuses dataset ids that are not plain names', () => {
    for (const id of ['../x', 'a/b', '..', '', '/abs']) {
      expect(() => thumbnailPath(workspace, id, ref)).toThrow(ImageError);
    }
  });

  it('does not follow a thumbs folder symlinked out of the workspace', async () => {
    const elsewhere = path.join(base, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, path.join(workspace, 'thumbs'));
    const e = await getThumbnail({ workspace, datasetId: 'ds1', root, ref }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ImageError);
    expect((e as ImageError).kind).toBe('path_escape');
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('reports a corrupt image and caches nothing', async () => {
    const e = await getThumbnail({
      workspace,
      datasetId: 'ds1',
      root,
      ref: { kind: 'file', path: 'bad.jpg' },
    }).catch((err: unknown) => err);
    expect((e as ImageError).kind).toBe('corrupt_image');
    expect(listFiles(workspace)).toEqual([]);
  });
});
