import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlickrCsvReader } from '../../../main/core/dataset/readers/flickr-csv';
import { createFlickrTokenReader } from '../../../main/core/dataset/readers/flickr-token';
import { createTableReader } from '../../../main/core/dataset/readers/table-csv';
import { sniffTable } from '../../../main/core/dataset/table-sniff';
import { jpeg, latin1 } from '../../fixtures/dataset/images';
import { byKey, countByStatus, readAll } from '../../fixtures/dataset/read-all';
import { makeTempDir, put } from '../../fixtures/dataset/temp-dir';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());
let img: Buffer;
beforeAll(async () => {
  img = await jpeg(20, 10);
});

describe('Flickr token reader', () => {
  it('reads <image>#<n>\\t<caption> lines, finds the image folder, flags bad lines', async () => {
    const dir = path.join(tmp.dir, 'flickr8k');
    await put(dir, 'Flicker8k_Dataset/1000_a.jpg', img);
    await put(dir, 'Flicker8k_Dataset/1001_b.jpg', img);
    const lines = [
      '1000_a.jpg#0\tA child in a pink dress .',
      '1000_a.jpg#1\tA girl going into a wooden building .',
      '1001_b.jpg#0\tA black dog .',
      'this line has no tab',
      '1001_b.jpg#1\t',
    ];
    await put(
      dir,
      'Flickr8k.token.txt',
      Buffer.concat([
        Buffer.from(lines.join('\r\n') + '\n'),
        Buffer.from('1002_c.jpg#0\t'),
        latin1('na\u00efve caption'),
        Buffer.from('\n'),
      ]),
    );
    await put(dir, 'Flickr8k.lemma.token.txt', 'ignored#0\tlemma\n');
    const items = await readAll(createFlickrTokenReader(), { root: dir });
    const got = byKey(items);
    expect(got.get('1000_a.jpg#1')).toMatchObject({
      imageKey: '1000_a.jpg',
      caption: 'A girl going into a wooden building .',
      image: { kind: 'file', path: 'Flicker8k_Dataset/1000_a.jpg' },
      width: 20,
      height: 10,
    });
    expect(got.get('Flickr8k.token.txt#line4')!.error).toMatchObject({
      kind: 'malformed_record',
      message: expect.stringContaining('line 4'),
    });
    expect(got.get('1001_b.jpg#1')!.error!.kind).toBe('empty_caption');
    // 1002_c.jpg is both missing and non-UTF-8: the image problem wins.
    expect(got.get('1002_c.jpg#0')!.error!.kind).toBe('missing_image');
    expect(countByStatus(items)).toEqual({ ok: 3, malformed_record: 1, empty_caption: 1, missing_image: 1 });
  });
});

describe('Kaggle Flickr csv reader', () => {
  it('reads captions.txt (image,caption) with quoted commas', async () => {
    const dir = path.join(tmp.dir, 'kaggle8k');
    await put(dir, 'Images/a.jpg', img);
    await put(
      dir,
      'captions.txt',
      'image,caption\na.jpg,"A dog, running ."\na.jpg,A dog plays .\nonlyonecolumn\n',
    );
    const items = await readAll(createFlickrCsvReader(), { root: dir });
    expect(items.map((i) => [i.record.key, i.record.caption, i.record.error?.kind])).toEqual([
      ['a.jpg#0', 'A dog, running .', undefined],
      ['a.jpg#1', 'A dog plays .', undefined],
      ['captions.txt#line4', null, 'malformed_record'],
    ]);
  });

  it('reads results.csv with "| " separators and comment numbers', async () => {
    const dir = path.join(tmp.dir, 'kaggle30k');
    await put(dir, 'flickr30k_images/1.jpg', img);
    await put(
      dir,
      'results.csv',
      'image_name| comment_number| comment\n1.jpg| 0| Two young guys with "shaggy hair .\n1.jpg| 1| Two men .\n1.jpg| 2 A line missing its separator\n',
    );
    const items = await readAll(createFlickrCsvReader(), { root: path.join(dir, 'results.csv') });
    const got = byKey(items);
    expect(got.get('1.jpg#0')).toMatchObject({
      caption: 'Two young guys with "shaggy hair .',
      image: { kind: 'file', path: 'flickr30k_images/1.jpg' },
    });
    expect(got.get('1.jpg#1')!.error).toBeUndefined();
    expect(countByStatus(items)).toEqual({ ok: 2, malformed_record: 1 });
  });
});

describe('table sniffing', () => {
  it('tells CC3M (caption<TAB>url) from CC12M (url<TAB>caption), both without header', () => {
    const cc3m = sniffTable(
      'a dog on a beach\thttps://x.com/1.jpg\nsome text here\thttp://y.org/2.png?x=1\nthird caption\thttps://z.net/3\n',
    );
    expect(cc3m).toMatchObject({
      layout: { delimiter: '\t', header: false, imageColumn: 1, captionColumn: 0, imageIsUrl: true },
    });
    const cc12m = sniffTable(
      'https://x.com/1.jpg\ta dog on a beach\nhttps://y.org/2.png\tsome text here\nhttps://q.org/3.jpg\tthird\n',
    );
    expect(cc12m).toMatchObject({
      layout: { header: false, imageColumn: 0, captionColumn: 1, imageIsUrl: true },
    });
  });

  it('finds named columns in a header, with any of the separators', () => {
    expect(sniffTable('id|filepath|title\n1|a.jpg|a cat\n2|b.jpg|a dog\n')).toMatchObject({
      layout: { delimiter: '|', header: true, imageColumn: 1, captionColumn: 2, keyColumn: 0 },
    });
    expect(sniffTable('url,TEXT\nhttps://a/1.jpg,"hello, there"\n')).toMatchObject({
      layout: { delimiter: ',', header: true, imageColumn: 0, captionColumn: 1, imageIsUrl: true },
    });
    expect(sniffTable('just some words\nmore words\n')).toHaveProperty('problem');
  });
});

describe('generic table reader', () => {
  it('reads a headered csv of file paths with every bad-row case', async () => {
    const dir = path.join(tmp.dir, 'table');
    await put(dir, 'images/a.jpg', img);
    await put(dir, 'images/b.jpg', img);
    await put(dir, 'images/bad.jpg', Buffer.from('not really a jpeg'));
    const rows = [
      'filepath,title',
      'a.jpg,"a photo, with a comma"',
      'b.jpg,   ',
      'gone.jpg,a missing image',
      'bad.jpg,a corrupt image',
      '../../../etc/hosts,escape attempt',
      'lonely-cell',
      ',caption without image',
    ];
    await put(
      dir,
      'data.csv',
      Buffer.concat([
        Buffer.from(rows.join('\n') + '\n'),
        Buffer.from('b.jpg,'),
        latin1('\u00e9t\u00e9'),
        Buffer.from('\n'),
      ]),
    );
    const items = await readAll(createTableReader(), { root: dir });
    expect(items[0]!.record).toMatchObject({
      key: 'a.jpg#0',
      caption: 'a photo, with a comma',
      image: { kind: 'file', path: 'images/a.jpg' },
      width: 20,
      height: 10,
      bytes: img.length,
    });
    expect(items.map((i) => i.record.error?.kind ?? 'ok')).toEqual([
      'ok',
      'empty_caption',
      'missing_image',
      'corrupt_image',
      'path_escape',
      'malformed_record',
      'missing_image',
      'non_utf8_caption',
    ]);
    expect(items[5]!.record.error!.message).toContain('line 7');
    expect(items[7]!.record.caption).toBe('\uFFFDt\uFFFD');
  });

  it('reads a gzipped CC3M-style TSV (caption<TAB>url, no header) as URL pairs without touching the network', async () => {
    const dir = path.join(tmp.dir, 'cc3m');
    const rows = Array.from(
      { length: 50 },
      (_, i) => `caption number ${i} "quoted bit\thttps://example.com/img/${i}.jpg`,
    );
    await put(dir, 'Train_GCC-training.tsv.gz', gzipSync(Buffer.from(rows.join('\n') + '\n')));
    const items = await readAll(createTableReader(), { root: dir });
    expect(items).toHaveLength(50);
    expect(items[3]!.record).toMatchObject({
      key: 'https://example.com/img/3.jpg',
      caption: 'caption number 3 "quoted bit',
      image: { kind: 'url', url: 'https://example.com/img/3.jpg' },
      url: 'https://example.com/img/3.jpg',
    });
    expect(countByStatus(items)).toEqual({ ok: 50 });
  });

  it('numbers several captions of one image', async () => {
    const dir = path.join(tmp.dir, 'multi');
    await put(dir, 'x.jpg', img);
    await put(dir, 'caps.tsv', 'image\tcaption\nx.jpg\tone\nx.jpg\ttwo\nx.jpg\tthree\n');
    const items = await readAll(createTableReader(), { root: path.join(dir, 'caps.tsv') });
    expect(items.map((i) => i.record.key)).toEqual(['x.jpg#0', 'x.jpg#1', 'x.jpg#2']);
    expect(new Set(items.map((i) => i.record.imageKey))).toEqual(new Set(['x.jpg']));
  });
});
