import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImageFolderReader } from '../../../main/core/dataset/readers/image-folder';
import { createImg2datasetFilesReader } from '../../../main/core/dataset/readers/img2dataset-files';
import { createImg2datasetParquetReader } from '../../../main/core/dataset/readers/img2dataset-parquet';
import {
  failedRow,
  imagesParquet,
  sample,
  successRows,
  writeFilesShard,
} from '../../fixtures/dataset/img2dataset-builder';
import { garbage, hugePngHeader, jpeg, latin1, webp } from '../../fixtures/dataset/images';
import { byKey, countByStatus, readAll } from '../../fixtures/dataset/read-all';
import { makeTempDir, put } from '../../fixtures/dataset/temp-dir';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());
let img: Buffer;
beforeAll(async () => {
  img = await jpeg(30, 20);
});

describe('img2dataset "files" reader', () => {
  it('reads NNNNN/ folders, one unit each, and the failures listed in NNNNN.parquet', async () => {
    const dir = path.join(tmp.dir, 'files');
    const s0 = [sample('000000000', img, 'zero', 30, 20), sample('000000001', img, 'one', 30, 20)];
    await writeFilesShard(dir, '00000', {
      samples: s0,
      attempts: [...successRows(s0), failedRow('000000002')],
      stats: { count: 3, successes: 2 },
    });
    const s1 = [
      { ...sample('000010000', img, 'no size', 1, 1), json: { caption: 'no size' } },
      { key: '000010001', txt: 'no image here', json: { caption: 'no image here' } },
      { key: '000010002', image: img, json: {} },
    ];
    await writeFilesShard(dir, '00001', { samples: s1, stats: { count: 3, successes: 3 } });
    const reader = createImg2datasetFilesReader();
    expect(await reader.estimateTotal!({ root: dir })).toBe(6);
    const items = await readAll(reader, { root: dir });
    const got = byKey(items);
    expect(items.map((i) => i.unit)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(got.get('000000001')).toMatchObject({
      caption: 'one',
      image: { kind: 'file', path: '00000/000000001.jpg' },
      width: 30,
      height: 20,
      hash: 'sha-000000001',
    });
    expect(got.get('000000002')!.error!.kind).toBe('download_failed');
    expect(got.get('000010000')).toMatchObject({ width: 30, height: 20 });
    expect(got.get('000010001')!.error!.kind).toBe('missing_image');
    expect(got.get('000010002')!.error!.kind).toBe('missing_caption');
    expect(countByStatus(items)).toEqual({ ok: 3, download_failed: 1, missing_image: 1, missing_caption: 1 });
  });
});

describe('img2dataset parquet reader', () => {
  it('reads image bytes from the jpg column, row by row, with failures and bad images', async () => {
    const dir = path.join(tmp.dir, 'parquet');
    const rows = [
      { key: '000000000', image: img, txt: 'a parquet photo', status: 'success' },
      { key: '000000001', image: null, txt: null, status: 'failed_to_download', error_message: 'HTTP 403' },
      { key: '000000002', image: garbage(), txt: 'corrupt', status: 'success' },
      { key: '000000003', image: await hugePngHeader(), txt: 'bomb', status: 'success' },
      { key: '000000004', image: await webp(9, 5), txt: '', status: 'success' },
    ];
    await put(dir, '00000.parquet', imagesParquet(rows, { rowGroupSize: 2 }));
    const reader = createImg2datasetParquetReader();
    expect(await reader.estimateTotal!({ root: dir })).toBe(5);
    const items = await readAll(reader, { root: dir });
    const got = byKey(items);
    expect(got.get('000000000')).toMatchObject({
      caption: 'a parquet photo',
      image: { kind: 'parquet', path: '00000.parquet', row: 0, column: 'jpg' },
      width: 30,
      height: 20,
      bytes: img.length,
    });
    expect(got.get('000000001')!.error).toMatchObject({
      kind: 'download_failed',
      message: expect.stringContaining('HTTP 403'),
    });
    expect(got.get('000000002')!.error!.kind).toBe('corrupt_image');
    expect(got.get('000000003')!.error!.kind).toBe('image_too_large');
    expect(got.get('000000004')).toMatchObject({
      width: 9,
      height: 5,
      image: { row: 4 },
      error: { kind: 'empty_caption' },
    });
    expect(items).toHaveLength(5);
  });
});

describe('plain image folder reader', () => {
  it('pairs images with same-name .txt recursively and flags every orphan', async () => {
    const dir = path.join(tmp.dir, 'folder');
    await put(dir, 'a.jpg', img);
    await put(dir, 'a.txt', 'caption of a\n');
    await put(dir, 'b.png', img);
    await put(dir, 'only-caption.txt', 'no image');
    await put(dir, 'sub/c.jpg', img);
    await put(dir, 'sub/c.txt', latin1('cr\u00e8me'));
    await put(dir, 'sub/deeper/d.jpg', await hugePngHeader());
    await put(dir, 'sub/deeper/d.txt', 'big');
    await put(dir, 'sub/e.jpg', Buffer.alloc(0));
    await put(dir, 'sub/e.txt', 'empty file');
    await put(tmp.dir, 'secret/s.jpg', img);
    symlinkSync(path.join(tmp.dir, 'secret'), path.join(dir, 'sub', 'outside'));
    symlinkSync(path.join(dir, 'sub'), path.join(dir, 'sub', 'loop'));
    const items = await readAll(createImageFolderReader(), { root: dir });
    const got = byKey(items);
    expect(got.get('a.jpg')).toMatchObject({
      caption: 'caption of a',
      image: { kind: 'file', path: 'a.jpg' },
      width: 30,
      height: 20,
    });
    expect(got.get('b.png')!.error!.kind).toBe('missing_caption');
    expect(got.get('only-caption')!.error!.kind).toBe('missing_image');
    expect(got.get('sub/c.jpg')!.error!.kind).toBe('non_utf8_caption');
    expect(got.get('sub/deeper/d.jpg')!.error!.kind).toBe('image_too_large');
    expect(got.get('sub/e.jpg')!.error!.kind).toBe('corrupt_image');
    expect(got.get('sub/outside')!.error!.kind).toBe('path_escape');
    expect(countByStatus(items)).toEqual({
      ok: 1,
      missing_caption: 1,
      missing_image: 1,
      non_utf8_caption: 1,
      image_too_large: 1,
      corrupt_image: 1,
      path_escape: 1,
    });
    expect(new Set(items.map((i) => i.unit))).toEqual(new Set([0, 1, 2]));
  });
});
