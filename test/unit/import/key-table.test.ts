import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { createClipRetrievalReader } from '../../../main/core/dataset/readers/clip-retrieval';
import type { PairRecord } from '../../../main/core/dataset/types';
import { KeyTable } from '../../../main/core/features/import/key-table';
import { makeTempDir } from '../../fixtures/dataset/temp-dir';

describe('KeyTable', () => {
  it('finds every key, misses foreign ones, keeps repeated keys, and claims once', () => {
    const n = 200_000;
    const t = new KeyTable(n);
    for (let i = 0; i < n; i++) t.insert(`https://example.com/images/${i}.jpg`, i);
    t.insert('https://example.com/images/7.jpg', n); // a URL indexed twice
    expect([t.size, t.repeatedKeys]).toEqual([n, 1]);
    expect(t.bytes).toBeLessThan(n * 12 * 1.5);
    for (let i = 0; i < n; i += 997) expect(t.seqAt(t.find(`https://example.com/images/${i}.jpg`))).toBe(i);
    for (let i = 0; i < 10_000; i++) expect(t.find(`https://example.com/images/${i}.png`)).toBe(-1);
    const s = t.find('https://example.com/images/7.jpg');
    expect(t.extraAt(s)).toEqual([n]);
    expect(t.claim(s)).toBe(true);
    expect(t.claim(s)).toBe(false);
    expect(t.seqAt(s)).toBe(7); // claimed slots still give their seq
    expect(t.find('')).toBe(-1);
  });
});

describe('clip-retrieval reader', () => {
  const tmp = makeTempDir('tldr-clipret-');
  afterAll(() => tmp.cleanup());

  it('uses a local image_path when the file is there, else the URL, else flags the pair', async () => {
    const root = tmp.dir;
    mkdirSync(path.join(root, 'images'), { recursive: true });
    mkdirSync(path.join(root, 'metadata'), { recursive: true });
    mkdirSync(path.join(root, 'img_emb'), { recursive: true });
    writeFileSync(path.join(root, 'images', 'a.jpg'), Buffer.alloc(123));
    writeFileSync(
      path.join(root, 'metadata', 'metadata_0.parquet'),
      Buffer.from(
        parquetWriteBuffer({
          columnData: [
            {
              name: 'image_path',
              data: [path.join(root, 'images', 'a.jpg'), 'images/b.jpg', null],
              type: 'STRING',
            },
            { name: 'TEXT', data: ['first', 'second', '  '], type: 'STRING' },
            { name: 'URL', data: [null, 'https://x/b.jpg', null], type: 'STRING' },
            { name: 'WIDTH', data: [640, 0, 10], type: 'INT32' },
          ],
        }),
      ),
    );
    const items: PairRecord[] = [];
    for await (const it of createClipRetrievalReader().read({ root })) items.push(it.record);
    expect(items.map((r) => r.key)).toEqual([
      path.join(root, 'images', 'a.jpg'),
      'images/b.jpg',
      'metadata/metadata_0.parquet#row2',
    ]);
    expect(items[0]).toMatchObject({
      image: { kind: 'file', path: 'images/a.jpg' },
      bytes: 123,
      caption: 'first',
      width: 640,
    });
    expect(items[1]).toMatchObject({ image: { kind: 'url', url: 'https://x/b.jpg' }, caption: 'second' });
    expect(items[1]!.error).toBeUndefined();
    expect(items[2]!.error?.kind).toBe('missing_image');
    expect(await createClipRetrievalReader().estimateTotal!({ root })).toBe(3);
  });
});
