import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlipReader } from '../../../main/core/dataset/readers/blip-json';
import { createCocoReader } from '../../../main/core/dataset/readers/coco-captions';
import { createKarpathyReader } from '../../../main/core/dataset/readers/karpathy-json';
import { createLlavaReader } from '../../../main/core/dataset/readers/llava-json';
import { garbage, hugePngHeader, jpeg } from '../../fixtures/dataset/images';
import { byKey, countByStatus, readAll } from '../../fixtures/dataset/read-all';
import { makeTempDir, put } from '../../fixtures/dataset/temp-dir';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());
let img: Buffer;
beforeAll(async () => {
  img = await jpeg(32, 24);
});

describe('COCO captions reader', () => {
  it('groups captions by image, finds <split>/ beside annotations/, flags orphans both ways', async () => {
    const dir = path.join(tmp.dir, 'coco');
    for (const n of [1, 2, 3]) await put(dir, `val2014/COCO_val2014_${n}.jpg`, img);
    await put(dir, 'val2014/COCO_val2014_4.jpg', garbage());
    const coco = {
      info: { year: 2014 },
      images: [1, 2, 3, 4, 5].map((id) => ({
        id,
        file_name: `COCO_val2014_${id}.jpg`,
        coco_url: `http://images.cocodataset.org/val2014/COCO_val2014_${id}.jpg`,
      })),
      licenses: [],
      annotations: [
        { image_id: 1, id: 10, caption: 'A cat on a mat.' },
        { image_id: 2, id: 11, caption: 'A dog.' },
        { image_id: 1, id: 12, caption: 'A cat sitting.' },
        { image_id: 4, id: 13, caption: 'Broken picture.' },
        { image_id: 5, id: 14, caption: 'Image file absent.' },
        { image_id: 99, id: 15, caption: 'No such image.' },
        { image_id: 2, id: 16, caption: '' },
      ],
    };
    await put(dir, 'annotations/captions_val2014.json', JSON.stringify(coco, null, 1));
    const items = await readAll(createCocoReader(), { root: dir });
    const got = byKey(items);
    expect(items).toHaveLength(8); // 7 captions + image 3 without any
    expect(got.get('COCO_val2014_1.jpg#0')).toMatchObject({
      caption: 'A cat on a mat.',
      imageKey: 'COCO_val2014_1.jpg',
      image: { kind: 'file', path: 'val2014/COCO_val2014_1.jpg' },
      width: 32,
      height: 24,
    });
    expect(got.get('COCO_val2014_1.jpg#1')!.caption).toBe('A cat sitting.');
    expect(got.get('COCO_val2014_2.jpg#1')!.error!.kind).toBe('empty_caption');
    expect(got.get('COCO_val2014_3.jpg#0')!.error!.kind).toBe('missing_caption');
    expect(got.get('COCO_val2014_4.jpg#0')!.error!.kind).toBe('corrupt_image');
    expect(got.get('COCO_val2014_5.jpg#0')!.error!.kind).toBe('missing_image');
    expect(got.get('image_id:99#0')!.error!.kind).toBe('missing_image');
    expect(countByStatus(items)).toEqual({
      ok: 3,
      empty_caption: 1,
      missing_caption: 1,
      corrupt_image: 1,
      missing_image: 2,
    });
  });

  it('reports a broken annotation file as one malformed record', async () => {
    const dir = path.join(tmp.dir, 'coco-broken');
    await put(
      dir,
      'annotations/captions_train2017.json',
      '{"images": [{"id": 1, "file_name": "a.jpg"}], "annotations": [{"image_id": 1, "caption": "x"',
    );
    const items = await readAll(createCocoReader(), { root: dir });
    expect(items.map((i) => i.record.error?.kind)).toContain('malformed_record');
  });
});

describe('Karpathy split reader', () => {
  it('reads filepath/filename, keeps split, one pair per sentence', async () => {
    const dir = path.join(tmp.dir, 'karpathy');
    await put(dir, 'val2014/a.jpg', img);
    await put(dir, 'train2014/b.jpg', img);
    await put(dir, 'train2014/c.jpg', img);
    const data = {
      images: [
        {
          filepath: 'val2014',
          filename: 'a.jpg',
          split: 'test',
          sentences: [{ raw: 'first caption', tokens: [] }, { raw: 'second caption' }],
        },
        { filepath: 'train2014', filename: 'b.jpg', split: 'restval', sentences: [{ raw: 'only one' }] },
        { filepath: 'train2014', filename: 'c.jpg', split: 'train', sentences: [] },
        { filepath: 'train2014', filename: 'b.jpg', split: 'train', sentences: 'oops', broken: tru },
      ],
      dataset: 'coco',
    };
    const text = JSON.stringify(data, null, 1).replace('"broken": "__TRU__"', '"broken": tru');
    await put(dir, 'dataset_coco.json', text);
    const items = await readAll(createKarpathyReader(), { root: dir });
    const got = byKey(items);
    expect(got.get('val2014/a.jpg#1')).toMatchObject({
      caption: 'second caption',
      split: 'test',
      image: { kind: 'file', path: 'val2014/a.jpg' },
    });
    expect(got.get('train2014/b.jpg#0')!.split).toBe('restval');
    expect(got.get('train2014/c.jpg#0')!.error!.kind).toBe('missing_caption');
    expect(countByStatus(items)).toEqual({ ok: 3, missing_caption: 1, malformed_record: 1 });
  });
});
// A bare identifier that makes the fixture's json invalid at one item (see the test).
const tru = '__TRU__';

describe('BLIP / LAVIS json reader', () => {
  it('one pair per caption of a list, keys <image>#<n>, paths confined', async () => {
    const dir = path.join(tmp.dir, 'blip');
    await put(dir, 'images/x.jpg', img);
    await put(dir, 'images/y.jpg', img);
    await put(dir, 'images/bomb.png', await hugePngHeader());
    await put(tmp.dir, 'outside.jpg', img);
    symlinkSync(path.join(tmp.dir, 'outside.jpg'), path.join(dir, 'images', 'link.jpg'));
    const list = [
      { image: 'x.jpg', caption: ['a red thing', 'a crimson thing'] },
      { image: 'y.jpg', caption: 'a yellow thing', image_id: 'y1' },
      { image: 'x.jpg', caption: 'x again' },
      // Relative to the image folder images/: two levels up leaves the dataset.
      { image: '../../outside.jpg', caption: 'climbs out' },
      { image: '/etc/passwd', caption: 'absolute' },
      { image: 'link.jpg', caption: 'symlink out' },
      { image: 'bomb.png', caption: 'decompression bomb' },
      { caption: 'no image at all' },
    ];
    // More than 12 names so the image folder is probed on a full sample.
    for (let i = 0; i < 12; i++) list.push({ image: 'y.jpg', caption: `more ${i}` });
    await put(dir, 'train.json', JSON.stringify(list));
    const items = await readAll(createBlipReader(), { root: path.join(dir, 'train.json') });
    const got = byKey(items);
    expect(got.get('x.jpg#0')).toMatchObject({
      caption: 'a red thing',
      image: { kind: 'file', path: 'images/x.jpg' },
    });
    expect(got.get('x.jpg#1')!.caption).toBe('a crimson thing');
    expect(got.get('x.jpg#2')!.caption).toBe('x again');
    expect(got.get('y.jpg#0')!.uid).toBe('y1');
    expect(got.get('../../outside.jpg#0')!.error!.kind).toBe('path_escape');
    expect(got.get('/etc/passwd#0')!.error!.kind).toBe('path_escape');
    expect(got.get('link.jpg#0')!.error!.kind).toBe('path_escape');
    expect(got.get('bomb.png#0')).toMatchObject({
      width: 50_000,
      height: 50_000,
      error: { kind: 'image_too_large' },
    });
    expect(items.find((i) => i.record.caption === 'no image at all')!.record.error!.kind).toBe(
      'missing_image',
    );
    expect(countByStatus(items)).toEqual({ ok: 16, path_escape: 3, image_too_large: 1, missing_image: 1 });
  });
});

describe('LLaVA json reader', () => {
  it('takes the first gpt/assistant turn, flags items without image or answer', async () => {
    const dir = path.join(tmp.dir, 'llava');
    await put(dir, 'images/00001/a.jpg', img);
    await put(dir, 'images/00001/b.jpg', img);
    const list = [
      {
        id: 'a',
        image: '00001/a.jpg',
        conversations: [
          { from: 'human', value: '<image>\nDescribe.' },
          { from: 'gpt', value: 'a small photo' },
          { from: 'gpt', value: 'later turn' },
        ],
      },
      {
        id: 'b',
        image: '00001/b.jpg',
        conversations: [
          { role: 'user', content: 'what?' },
          { role: 'assistant', content: 'assistant style' },
        ],
      },
      {
        id: 'c',
        conversations: [
          { from: 'human', value: 'text only' },
          { from: 'gpt', value: 'an answer' },
        ],
      },
      { id: 'd', image: '00001/a.jpg', conversations: [{ from: 'human', value: 'no answer' }] },
      { id: 'e', image: '00001/missing.jpg', conversations: [{ from: 'gpt', value: 'gone' }] },
    ];
    await put(dir, 'chat.json', JSON.stringify(list, null, 2));
    const items = await readAll(createLlavaReader(), { root: dir });
    const got = byKey(items);
    expect(got.get('a')).toMatchObject({
      caption: 'a small photo',
      imageKey: '00001/a.jpg',
      image: { kind: 'file', path: 'images/00001/a.jpg' },
    });
    expect(got.get('b')!.caption).toBe('assistant style');
    expect(got.get('c')).toMatchObject({ caption: 'an answer', error: { kind: 'missing_image' } });
    expect(got.get('d')!.error!.kind).toBe('missing_caption');
    expect(got.get('e')!.error!.kind).toBe('missing_image');
    expect(countByStatus(items)).toEqual({ ok: 2, missing_image: 2, missing_caption: 1 });
  });
});
