import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebdatasetReader } from '../../../main/core/dataset/readers/webdataset-tar';
import { buildTar } from '../../fixtures/dataset/tar-builder';
import {
  failedRow,
  sample,
  successRows,
  writeWebdatasetShard,
  type SampleSpec,
} from '../../fixtures/dataset/img2dataset-builder';
import { garbage, hugePngHeader, jpeg, latin1, png } from '../../fixtures/dataset/images';
import { byKey, countByStatus, readAll } from '../../fixtures/dataset/read-all';
import { makeTempDir, put } from '../../fixtures/dataset/temp-dir';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

const key = (shard: number, i: number) => `${String(shard).padStart(5, '0')}${String(i).padStart(4, '0')}`;

describe('webdataset reader', () => {
  let img: Buffer;
  beforeAll(async () => {
    img = await jpeg(40, 30, 1);
  });

  it('reads a sound shard in place and accounts for failed downloads from its parquet', async () => {
    const dir = path.join(tmp.dir, 'sound');
    const samples = [0, 1, 2, 3, 4].map((i) =>
      sample(key(0, i), img, `a photo number ${i}`, 40, 30, { uid: `u${i}` }),
    );
    const attempts = [...successRows(samples), failedRow(key(0, 5)), failedRow(key(0, 6), 'timeout')];
    const tar = await writeWebdatasetShard(dir, '00000', {
      samples,
      attempts,
      stats: { count: 7, successes: 5 },
    });
    const reader = createWebdatasetReader();
    expect(await reader.estimateTotal!({ root: dir })).toBe(7);
    const items = await readAll(reader, { root: dir });
    expect(countByStatus(items)).toEqual({ ok: 5, download_failed: 2 });
    const r0 = items[0]!.record;
    expect(r0).toMatchObject({
      key: '000000000',
      imageKey: '000000000',
      caption: 'a photo number 0',
      width: 40,
      height: 30,
      bytes: img.length,
      hash: 'sha-000000000',
      uid: 'u0',
      url: 'https://example.com/000000000.jpg',
    });
    expect(r0.image.kind).toBe('tar');
    if (r0.image.kind !== 'tar') throw new Error('unreachable');
    expect(r0.image.path).toBe('00000.tar');
    expect(r0.image.member).toBe('000000000.jpg');
    // The recorded offset and size point at the image bytes inside the tar.
    expect(tar.subarray(r0.image.offset, r0.image.offset + r0.image.size).equals(img)).toBe(true);
    const failed = byKey(items).get(key(0, 6))!;
    expect(failed.error).toEqual({ kind: 'download_failed', message: expect.stringContaining('timeout') });
    expect(failed.url).toBe('https://example.com/000000006.jpg');
    expect(failed.caption).toBe('caption of 000000006');
    expect(items.every((i) => i.unit === 0)).toBe(true);
  });

  it('flags every kind of bad sample and keeps reading', async () => {
    const dir = path.join(tmp.dir, 'bad');
    const good = sample('000000000', img, 'fine', 40, 30);
    const noSize = {
      ...sample('000000001', img, 'no size in json', 1, 1),
      json: { caption: 'no size in json', status: 'success' },
    };
    const samples: SampleSpec[] = [
      good,
      noSize,
      { key: '000000002', image: img, json: { status: 'success', width: 40, height: 30 } }, // no caption anywhere
      { key: '000000003', txt: 'caption but no image', json: { caption: 'caption but no image' } },
      { key: '000000004', image: garbage(), txt: 'garbage image', json: { status: 'success' } },
      {
        key: '000000005',
        image: await hugePngHeader(),
        ext: 'png',
        txt: 'bomb',
        json: { status: 'success' },
      },
      { key: '000000006', image: img, txt: latin1('caf\u00e9 au lait'), json: { width: 40, height: 30 } },
      { key: '000000007', image: img, txt: '   ', json: { width: 40, height: 30 } },
      { key: '000000008', image: img, txt: 'broken json', json: '{"width": 40, "height":' },
      { key: '000000009', image: await png(12, 7), ext: 'png', json: { caption: 'caption only in json' } },
    ];
    await writeWebdatasetShard(dir, '00000', { samples });
    const items = await readAll(createWebdatasetReader(), { root: dir });
    const got = byKey(items);
    expect(items).toHaveLength(samples.length);
    expect(got.get('000000000')!.error).toBeUndefined();
    expect(got.get('000000001')).toMatchObject({ width: 40, height: 30 });
    expect(got.get('000000001')!.error).toBeUndefined();
    expect(got.get('000000002')!.error!.kind).toBe('missing_caption');
    expect(got.get('000000003')!.error!.kind).toBe('missing_image');
    expect(got.get('000000003')!.caption).toBe('caption but no image');
    expect(got.get('000000004')!.error!.kind).toBe('corrupt_image');
    expect(got.get('000000005')).toMatchObject({
      width: 50_000,
      height: 50_000,
      error: { kind: 'image_too_large' },
    });
    expect(got.get('000000006')).toMatchObject({
      caption: 'caf\uFFFD au lait',
      error: { kind: 'non_utf8_caption' },
    });
    expect(got.get('000000007')!.error!.kind).toBe('empty_caption');
    expect(got.get('000000008')!.error!.kind).toBe('malformed_record');
    expect(got.get('000000009')).toMatchObject({ caption: 'caption only in json', width: 12, height: 7 });
    expect(got.get('000000009')!.error).toBeUndefined();
    expect(countByStatus(items)).toEqual({
      ok: 3,
      missing_caption: 1,
      missing_image: 1,
      corrupt_image: 1,
      image_too_large: 1,
      non_utf8_caption: 1,
      empty_caption: 1,
      malformed_record: 1,
    });
  });

  it('keeps the members before a cut, flags the cut sample, accounts for the rest from the parquet, reads the next shard', async () => {
    const dir = path.join(tmp.dir, 'cut');
    const big = await jpeg(200, 150, 3);
    const samples0 = [0, 1, 2, 3, 4, 5].map((i) => sample(key(0, i), big, `shard zero ${i}`, 200, 150));
    const tar = await writeWebdatasetShard(dir, '00000', {
      samples: samples0,
      attempts: successRows(samples0),
    });
    // Cut in the middle of sample 3's image: find its offset by reading the shard first.
    const before = await readAll(createWebdatasetReader(), { root: path.join(dir, '00000.tar') });
    const third = before[3]!.record.image;
    if (third.kind !== 'tar') throw new Error('expected a tar ref');
    await put(dir, '00000.tar', tar.subarray(0, third.offset + Math.floor(third.size / 2)));
    const samples1 = [0, 1, 2].map((i) => sample(key(1, i), img, `shard one ${i}`, 40, 30));
    await writeWebdatasetShard(dir, '00001', { samples: samples1 });

    const items = await readAll(createWebdatasetReader(), { root: dir });
    const shard0 = items.filter((i) => i.unit === 0);
    expect(countByStatus(shard0)).toEqual({ ok: 3, truncated_archive: 3 });
    expect(shard0.map((i) => i.record.key)).toEqual(samples0.map((s) => s.key));
    expect(shard0[3]!.record.error!.message).toMatch(/ends inside/);
    expect(countByStatus(items.filter((i) => i.unit === 1))).toEqual({ ok: 3 });
  });

  it('without a parquet, a cut shard yields its earlier samples and one truncated record', async () => {
    const dir = path.join(tmp.dir, 'cut-noparquet');
    const samples = [0, 1, 2].map((i) => sample(key(0, i), img, `s ${i}`, 40, 30));
    const tar = await writeWebdatasetShard(dir, '00000', { samples });
    await put(dir, '00000.tar', tar.subarray(0, tar.length - 1024 - 700)); // inside the last sample
    const items = await readAll(createWebdatasetReader(), { root: dir });
    expect(countByStatus(items)).toEqual({ ok: 2, truncated_archive: 1 });
    expect(items[2]!.record.key).toBe('000000002');
  });

  it('reads long member names (pax and GNU), 8-digit shards and 12-digit keys', async () => {
    const dir = path.join(tmp.dir, 'long');
    const long = `${'d'.repeat(90)}/${'e'.repeat(30)}/000000000123`;
    const long2 = `${'f'.repeat(120)}/000000000124`;
    const tar = buildTar([
      { name: `${long}.jpg`, data: img },
      { name: `${long}.txt`, data: 'pax named' },
      { name: `${long2}.jpg`, data: img, longName: 'gnu' },
      { name: `${long2}.txt`, data: 'gnu named', longName: 'gnu' },
    ]);
    await put(dir, '00000012.tar', tar);
    const items = await readAll(createWebdatasetReader(), { root: dir });
    expect(items.map((i) => [i.record.key, i.record.caption, i.record.error?.kind])).toEqual([
      [long, 'pax named', undefined],
      [long2, 'gnu named', undefined],
    ]);
    const ref = items[1]!.record.image;
    if (ref.kind !== 'tar') throw new Error('expected a tar ref');
    expect(ref.path).toBe('00000012.tar');
    expect(
      readFileSync(path.join(dir, '00000012.tar'))
        .subarray(ref.offset, ref.offset + ref.size)
        .equals(img),
    ).toBe(true);
  });

  it('skips units before startUnit and orders shards naturally', async () => {
    const dir = path.join(tmp.dir, 'resume');
    for (const n of [2, 10, 1]) {
      await writeWebdatasetShard(dir, String(n).padStart(5, '0'), {
        samples: [sample(key(n, 0), img, `shard ${n}`, 40, 30)],
        stats: { count: 1, successes: 1 },
      });
    }
    const reader = createWebdatasetReader();
    const all = await readAll(reader, { root: dir });
    expect(all.map((i) => [i.unit, i.record.caption])).toEqual([
      [0, 'shard 1'],
      [1, 'shard 2'],
      [2, 'shard 10'],
    ]);
    const progress: number[] = [];
    const rest = await readAll(reader, {
      root: dir,
      startUnit: 2,
      onProgress: (p) => progress.push(p.unitsDone),
    });
    expect(rest.map((i) => [i.unit, i.record.caption])).toEqual([[2, 'shard 10']]);
    expect(progress.at(-1)).toBe(3);
    expect(await reader.estimateTotal!({ root: dir })).toBe(3);
  });
});
