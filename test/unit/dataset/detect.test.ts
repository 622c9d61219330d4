import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFormat } from '../../../main/core/dataset/detect';
import { createReader } from '../../../main/core/dataset/registry';
import {
  imagesParquet,
  sample,
  writeFilesShard,
  writeWebdatasetShard,
} from '../../fixtures/dataset/img2dataset-builder';
import { jpeg } from '../../fixtures/dataset/images';
import { readAll } from '../../fixtures/dataset/read-all';
import { makeTempDir, put } from '../../fixtures/dataset/temp-dir';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());
let img: Buffer;
beforeAll(async () => {
  img = await jpeg(8, 8);
});
const d = (...p: string[]) => path.join(tmp.dir, ...p);

describe('detectFormat', () => {
  it('webdataset: a folder of tars with sidecars, and a single tar', async () => {
    for (const n of ['00000', '00001'])
      await writeWebdatasetShard(d('wds'), n, {
        samples: [sample(`${n}0000`, img, 'x', 8, 8)],
        stats: { count: 1, successes: 1 },
      });
    await writeFile(d('wds', '00000.parquet'), imagesParquet([])); // a sidecar, not a dataset of its own
    const det = await detectFormat(d('wds'));
    expect(det.format).toBe('webdataset');
    expect(det.seen).toEqual(expect.arrayContaining(['2 .tar', '2 _stats.json']));
    expect((await detectFormat(d('wds', '00001.tar'))).format).toBe('webdataset');
  });

  it('img2dataset files and parquet', async () => {
    await writeFilesShard(d('files'), '00000', { samples: [sample('000000000', img, 'x', 8, 8)] });
    expect((await detectFormat(d('files'))).format).toBe('img2dataset-files');
    await put(
      d('pq'),
      'part.parquet',
      imagesParquet([{ key: '0', image: img, txt: 'x', status: 'success' }]),
    );
    expect((await detectFormat(d('pq'))).format).toBe('img2dataset-parquet');
    expect((await detectFormat(d('pq', 'part.parquet'))).format).toBe('img2dataset-parquet');
  });

  it('COCO, with the dataset root moved above annotations/ when the json is dropped alone', async () => {
    await put(d('coco'), 'val2014/COCO_val2014_1.jpg', img);
    await put(
      d('coco'),
      'annotations/captions_val2014.json',
      JSON.stringify({
        info: {},
        images: [{ id: 1, file_name: 'COCO_val2014_1.jpg' }],
        annotations: [{ image_id: 1, caption: 'c' }],
      }),
    );
    const folder = await detectFormat(d('coco'));
    expect(folder).toMatchObject({
      format: 'coco',
      options: { files: ['annotations/captions_val2014.json'] },
    });
    const file = await detectFormat(d('coco', 'annotations', 'captions_val2014.json'));
    expect(file).toMatchObject({ format: 'coco', root: d('coco') });
    const items = await readAll(createReader(file.format!, file.options), { root: file.root! });
    expect(items.map((i) => [i.record.key, i.record.error])).toEqual([['COCO_val2014_1.jpg#0', undefined]]);
  });

  it('Karpathy, LLaVA and BLIP json by content', async () => {
    await put(
      d('karpathy'),
      'dataset_flickr8k.json',
      JSON.stringify({ images: [{ filename: 'a.jpg', split: 'train', sentences: [{ raw: 'x' }] }] }),
    );
    expect((await detectFormat(d('karpathy'))).format).toBe('karpathy');
    await put(d('llava'), 'chat.json', JSON.stringify([{ id: '1', image: 'a.jpg', conversations: [] }]));
    expect((await detectFormat(d('llava', 'chat.json'))).format).toBe('llava-json');
    await put(d('blip'), 'ann.json', JSON.stringify([{ image: 'a.jpg', caption: ['x'] }]));
    expect((await detectFormat(d('blip'))).format).toBe('blip-json');
  });

  it('Flickr token files (lemma variant ignored) and Kaggle csv variants', async () => {
    await put(d('f8k'), 'Flickr8k.token.txt', 'a.jpg#0\tA dog .\n');
    await put(d('f8k'), 'Flickr8k.lemma.token.txt', 'a.jpg#0\tA dog .\n');
    expect(await detectFormat(d('f8k'))).toMatchObject({
      format: 'flickr-token',
      options: { files: ['Flickr8k.token.txt'] },
    });
    await put(d('k8k'), 'captions.txt', 'image,caption\na.jpg,A dog .\n');
    expect((await detectFormat(d('k8k'))).format).toBe('flickr-csv');
    await put(d('k30k'), 'results.csv', 'image_name| comment_number| comment\na.jpg| 0| A dog .\n');
    expect((await detectFormat(d('k30k'))).format).toBe('flickr-csv');
  });

  it('generic tables with their layout as reader options', async () => {
    await put(
      d('cc12m'),
      'cc12m.tsv',
      'https://a/1.jpg\ta caption here\nhttps://a/2.jpg\tanother one here\n',
    );
    expect(await detectFormat(d('cc12m'))).toMatchObject({
      format: 'table',
      options: {
        files: ['cc12m.tsv'],
        delimiter: '\t',
        header: false,
        imageColumn: 0,
        captionColumn: 1,
        imageIsUrl: true,
      },
    });
  });

  it('a plain folder of captioned images', async () => {
    await put(d('plain'), 'x/a.jpg', img);
    await put(d('plain'), 'x/a.txt', 'a');
    expect((await detectFormat(d('plain'))).format).toBe('folder');
  });

  it('clip-retrieval embeddings', async () => {
    await put(d('clip'), 'img_emb/img_emb_0.npy', Buffer.from('\x93NUMPY'));
    await put(d('clip'), 'metadata/metadata_0.parquet', imagesParquet([]));
    expect((await detectFormat(d('clip'))).format).toBe('clip-retrieval');
  });

  it('cannot decide: missing path, not a dataset, images without captions, two formats at once', async () => {
    const missing = await detectFormat(d('nope'));
    expect(missing.format).toBeUndefined();
    expect(missing.candidates).toEqual([]);
    expect(missing.problem).toMatch(/does not exist/);

    await put(d('junk'), 'notes.md', '# hello');
    await put(d('junk'), 'data.bin', Buffer.alloc(10));
    const junk = await detectFormat(d('junk'));
    expect(junk.format).toBeUndefined();
    expect(junk.seen).toEqual(expect.arrayContaining(['1 .md', '1 .bin']));
    expect(junk.problem).toMatch(/does not look like a dataset/);
    expect((await detectFormat(d('junk', 'notes.md'))).problem).toMatch(/does not look like a dataset/);

    await put(d('nocaps'), 'a.jpg', img);
    expect((await detectFormat(d('nocaps'))).problem).toMatch(/no captions/);
    expect((await detectFormat(d('nocaps', 'a.jpg'))).problem).toMatch(/single image/);

    await writeWebdatasetShard(d('both'), '00000', { samples: [sample('000000000', img, 'x', 8, 8)] });
    await put(
      d('both'),
      'annotations/captions_train2017.json',
      '{"info": {}, "images": [{"id": 1, "file_name": "a.jpg"}]}',
    );
    const both = await detectFormat(d('both'));
    expect(both.format).toBeUndefined();
    expect(both.candidates.map((c) => c.format).sort()).toEqual(['coco', 'webdataset']);
    expect(both.problem).toMatch(/several formats/);
  });

  it('stays fast on a folder of many files (samples instead of reading all)', async () => {
    const many = d('many');
    for (let i = 0; i < 1000; i++) await put(many, `img_${i}.jpg`, img);
    const t0 = performance.now();
    const det = await detectFormat(many);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(det.seen).toEqual(['1,000 .jpg']);
  });
});
