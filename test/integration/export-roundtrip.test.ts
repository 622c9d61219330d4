// Every export format, end to end: index a small dataset, make a run, export it, and read
// the export back through our own detection and readers: exactly the kept pairs come back,
// captions equal and image bytes identical.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRun } from '../../main/core/export';
import { readImageBytes } from '../../main/core/image/read-bytes';
import type { DatasetRow } from '../../main/core/store/datasets';
import {
  buildFolderDataset,
  buildParquetDataset,
  buildUrlDataset,
  buildWebdatasetDataset,
  hexUid,
  indexDataset,
  makeRun,
  readBack,
  sha256,
  wdsKey,
  workspace,
  type Built,
  type Workspace,
} from '../unit/export/fixtures';

const N = 12;
const KEPT = [0, 2, 3, 5, 8, 11];

let ws: Workspace;
beforeAll(() => {
  ws = workspace('tldr-export-rt-');
});
afterAll(async () => ws.close());

describe('export round trip: folder of images + captions.tsv', () => {
  let built: Built;
  let dataset: DatasetRow;
  let runId: number;
  beforeAll(async () => {
    built = await buildFolderDataset(path.join(ws.data, 'folder'), N);
    dataset = await indexDataset(ws.ctx, path.join(built.root, 'captions.tsv'));
    expect(dataset.pairs).toBe(N);
    runId = makeRun(ws.ctx, dataset.id, N, KEPT);
  });

  it('blip-json: absolute paths to the original files, kept captions, manifest', async () => {
    const r = await exportRun({ db: ws.ctx.db, workspace: ws.ctx.workspace, runId, format: 'blip-json' });
    expect(r.written).toBe(KEPT.length);
    expect(path.basename(r.folder)).toMatch(
      new RegExp(`^${dataset.id}-${runId}-blip-json-\\d{8}-\\d{6}-\\d{3}$`),
    );
    const list = JSON.parse(readFileSync(path.join(r.folder, 'blip.json'), 'utf8')) as {
      image: string;
      caption: string;
    }[];
    expect(list.map((e) => e.caption)).toEqual(KEPT.map((i) => built.captions[i]));
    for (const [k, e] of list.entries()) {
      expect(path.isAbsolute(e.image)).toBe(true);
      expect(sha256(readFileSync(e.image))).toBe(sha256(built.images[KEPT[k]!]!));
    }
    // Our BLIP reader recognises the file and gives back the same captions in the same order
    // (it confines images to the dataset folder, so absolute paths are reported, not read).
    const back = await readBack(r.folder);
    expect(back.format).toBe('blip-json');
    expect(back.records.map((x) => x.caption)).toEqual(KEPT.map((i) => built.captions[i]));
    const m = JSON.parse(readFileSync(path.join(r.folder, 'manifest.json'), 'utf8'));
    expect(m).toMatchObject({
      kind: 'tldr-studio-export',
      format: 'blip-json',
      app: { version: expect.any(String) },
      source: { datasetId: dataset.id, format: 'table', counts: { pairs: N } },
      run: { id: runId, method: 'wfpp', seed: 7, steps: [{ count: N }, { count: KEPT.length }] },
      counts: { kept: KEPT.length, written: KEPT.length, skipped: 0 },
    });
    expect(m.files.map((f: { path: string }) => f.path)).toEqual(['blip.json']);
    expect(m.files[0].sha256).toBe(sha256(readFileSync(path.join(r.folder, 'blip.json'))));
  });

  it('blip-json with relative paths reads back fully through our reader', async () => {
    const r = await exportRun({
      db: ws.ctx.db,
      workspace: ws.ctx.workspace,
      runId,
      format: 'blip-json',
      imagePaths: 'relative',
      outDir: path.join(ws.dir, 'out', 'blip-relative'),
    });
    // LAVIS style: image paths relative to the dataset folder (its image_root).
    const list = JSON.parse(readFileSync(path.join(r.folder, 'blip.json'), 'utf8')) as { image: string }[];
    expect(list[0]!.image).toBe('images/img_0.jpg');
    expect(r.manifest.details).toMatchObject({ imagePaths: 'relative', imageRoot: built.root });
  });

  it('openclip-tsv: filepath/title header, same pairs', async () => {
    const r = await exportRun({ db: ws.ctx.db, workspace: ws.ctx.workspace, runId, format: 'openclip-tsv' });
    const lines = readFileSync(path.join(r.folder, 'openclip.tsv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('filepath\ttitle');
    const rows = lines.slice(1).map((l) => l.split('\t'));
    expect(rows.map((c) => c[1])).toEqual(KEPT.map((i) => built.captions[i]));
    for (const [k, c] of rows.entries())
      expect(sha256(readFileSync(c[0]!))).toBe(sha256(built.images[KEPT[k]!]!));
    const back = await readBack(r.folder);
    expect(back.format).toBe('table');
    expect(back.records.map((x) => x.caption)).toEqual(KEPT.map((i) => built.captions[i]));
  });

  it('webdataset from image files: new shards, bytes identical, re-read by our tar reader', async () => {
    const r = await exportRun({
      db: ws.ctx.db,
      workspace: ws.ctx.workspace,
      runId,
      format: 'webdataset',
      shardSize: 4,
    });
    // Folder keys ("images/img_0.jpg#0"-like) are not safe member names: running index.
    expect(r.manifest.details).toMatchObject({ shards: 2, keys: 'index' });
    expect(JSON.parse(readFileSync(path.join(r.folder, 'sizes.json'), 'utf8'))).toEqual({
      '00000.tar': 4,
      '00001.tar': 2,
    });
    const back = await readBack(r.folder);
    expect(back.format).toBe('webdataset');
    expect(back.records.map((x) => x.key)).toEqual(KEPT.map((_, k) => wdsKey(k)));
    expect(back.records.map((x) => x.caption)).toEqual(KEPT.map((i) => built.captions[i]));
    for (const [k, rec] of back.records.entries()) {
      expect(rec.error).toBeUndefined();
      const bytes = await readImageBytes(r.folder, rec.image);
      expect(sha256(bytes)).toBe(sha256(built.images[KEPT[k]!]!));
      expect(rec.hash).toBe(sha256(bytes));
    }
    // Every 4th source image is a png: copied as is, named .png.
    const pngs = back.records.filter((x) => x.image.kind === 'tar' && x.image.member.endsWith('.png'));
    expect(pngs.length).toBe(KEPT.filter((i) => i % 4 === 3).length);
  });

  it('uids: a clear refusal when the pairs carry no uid', async () => {
    await expect(
      exportRun({ db: ws.ctx.db, workspace: ws.ctx.workspace, runId, format: 'uids' }),
    ).rejects.toThrow(/6 of the 6 kept pairs have no uid/);
  });

  it('wfpp-schedule: kept subset, full-set reference and the two-stage schedule', async () => {
    const r = await exportRun({
      db: ws.ctx.db,
      workspace: ws.ctx.workspace,
      runId,
      format: 'wfpp-schedule',
      fullSetList: true,
    });
    const schedule = JSON.parse(readFileSync(path.join(r.folder, 'schedule.json'), 'utf8'));
    expect(schedule.subset).toMatchObject({
      format: 'openclip-tsv',
      path: 'kept/openclip.tsv',
      pairs: KEPT.length,
    });
    expect(schedule.fullSet).toMatchObject({
      datasetRoot: dataset.root,
      pairs: N,
      list: 'full/openclip.tsv',
      listPairs: N,
    });
    expect(schedule.stages).toEqual([
      expect.objectContaining({ data: 'kept', path: 'kept/openclip.tsv' }),
      expect.objectContaining({
        data: 'full',
        epochs: 1,
        lr: 1e-5,
        warmupEpochs: 0.1,
        path: 'full/openclip.tsv',
      }),
    ]);
    const kept = await readBack(path.join(r.folder, 'kept', 'openclip.tsv'));
    expect(kept.records.map((x) => x.caption)).toEqual(KEPT.map((i) => built.captions[i]));
    const full = await readBack(path.join(r.folder, 'full', 'openclip.tsv'));
    expect(full.records.map((x) => x.caption)).toEqual(built.captions);
  });
});

describe('export round trip: img2dataset webdataset', () => {
  let built: Built;
  let dataset: DatasetRow;
  let runId: number;
  beforeAll(async () => {
    built = await buildWebdatasetDataset(path.join(ws.data, 'wds'), N, 5);
    dataset = await indexDataset(ws.ctx, built.root);
    runId = makeRun(ws.ctx, dataset.id, N, KEPT, {
      refined: [
        { seq: 2, generated: 'a red ball', merged: `${built.captions[2]}; a red ball`, truncated: 0 },
        {
          seq: 5,
          generated: 'word '.repeat(30).trim(),
          merged: `${built.captions[5]}; ${'word '.repeat(30).trim()}`,
          truncated: 8,
        },
      ],
    });
  });

  it('blip-json refuses tar-held images and suggests webdataset', async () => {
    await expect(
      exportRun({ db: ws.ctx.db, workspace: ws.ctx.workspace, runId, format: 'blip-json' }),
    ).rejects.toThrow(
      /6 of the 6 kept pairs have their image inside a container \(6 in tar shards\).*Export 'webdataset'/,
    );
  });

  it('webdataset: tar members copied by offset, original keys, refined captions', async () => {
    const r = await exportRun({
      db: ws.ctx.db,
      workspace: ws.ctx.workspace,
      runId,
      format: 'webdataset',
      captions: 'refined',
    });
    expect(r.manifest.details).toMatchObject({ keys: 'original', shards: 1 });
    expect(r.manifest.captions).toMatchObject({
      source: 'refined',
      refined: 2,
      refinedTruncated: 1,
      overBlipLimit: 1,
    });
    const back = await readBack(r.folder);
    expect(back.records.map((x) => x.key)).toEqual(KEPT.map(wdsKey));
    const expected = KEPT.map((i) =>
      i === 2
        ? `${built.captions[2]}; a red ball`
        : i === 5
          ? `${built.captions[5]}; ${'word '.repeat(30).trim()}`
          : built.captions[i],
    );
    expect(back.records.map((x) => x.caption)).toEqual(expected);
    expect(back.records.map((x) => x.uid)).toEqual(KEPT.map(hexUid));
    for (const [k, rec] of back.records.entries()) {
      expect(sha256(await readImageBytes(r.folder, rec.image))).toBe(sha256(built.images[KEPT[k]!]!));
    }
    // Each sample's json keeps the source's facts beside ours.
    const stats = JSON.parse(readFileSync(path.join(r.folder, '00000_stats.json'), 'utf8'));
    expect(stats).toMatchObject({ count: KEPT.length, successes: KEPT.length });
  });

  it('uids: sorted text list and the u8,u8 npy DataComp reads', async () => {
    const r = await exportRun({ db: ws.ctx.db, workspace: ws.ctx.workspace, runId, format: 'uids' });
    const sorted = KEPT.map(hexUid).sort();
    expect(readFileSync(path.join(r.folder, 'uids.txt'), 'utf8')).toBe(sorted.map((u) => `${u}\n`).join(''));
    const npy = readFileSync(path.join(r.folder, 'uids.npy'));
    const headerLen = npy.readUInt16LE(8);
    const header = npy.subarray(10, 10 + headerLen).toString('latin1');
    expect(header).toContain(`'descr': [('f0', '<u8'), ('f1', '<u8')]`);
    expect(header).toContain(`'shape': (${KEPT.length},)`);
    expect((10 + headerLen) % 64).toBe(0);
    const data = npy.subarray(10 + headerLen);
    expect(data.length).toBe(16 * KEPT.length);
    const decoded = Array.from(
      { length: KEPT.length },
      (_, i) =>
        data
          .readBigUInt64LE(16 * i)
          .toString(16)
          .padStart(16, '0') +
        data
          .readBigUInt64LE(16 * i + 8)
          .toString(16)
          .padStart(16, '0'),
    );
    expect(decoded).toEqual(sorted);
    expect(r.manifest.captions).toBeUndefined();
  });

  it('urls-tsv: the URLs of the kept pairs, for img2dataset', async () => {
    const r = await exportRun({ db: ws.ctx.db, workspace: ws.ctx.workspace, runId, format: 'urls-tsv' });
    const lines = readFileSync(path.join(r.folder, 'urls.tsv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('url\tcaption');
    expect(lines.slice(1)).toEqual(
      KEPT.map((i) => `https://example.com/${wdsKey(i)}.jpg\t${built.captions[i]}`),
    );
  });
});

describe('export round trip: img2dataset parquet', () => {
  it('webdataset copies parquet cells byte for byte', async () => {
    const built = await buildParquetDataset(path.join(ws.data, 'parquet'), N);
    const dataset = await indexDataset(ws.ctx, built.root);
    expect(dataset.format).toBe('img2dataset-parquet');
    const runId = makeRun(ws.ctx, dataset.id, N, KEPT);
    await expect(
      exportRun({ db: ws.ctx.db, workspace: ws.ctx.workspace, runId, format: 'openclip-tsv' }),
    ).rejects.toThrow(/in parquet files/);
    const r = await exportRun({ db: ws.ctx.db, workspace: ws.ctx.workspace, runId, format: 'webdataset' });
    const back = await readBack(r.folder);
    expect(back.records.map((x) => x.caption)).toEqual(KEPT.map((i) => built.captions[i]));
    for (const [k, rec] of back.records.entries()) {
      expect(sha256(await readImageBytes(r.folder, rec.image))).toBe(sha256(built.images[KEPT[k]!]!));
    }
  });
});

describe('export round trip: URL-only TSV (prune before downloading)', () => {
  it('urls-tsv reads back as the same url/caption table; image formats refuse', async () => {
    const built = await buildUrlDataset(path.join(ws.data, 'urls'), N);
    const dataset = await indexDataset(ws.ctx, built.root);
    const runId = makeRun(ws.ctx, dataset.id, N, KEPT);
    const r = await exportRun({ db: ws.ctx.db, workspace: ws.ctx.workspace, runId, format: 'urls-tsv' });
    const back = await readBack(r.folder);
    expect(back.format).toBe('table');
    expect(back.records.map((x) => x.url)).toEqual(KEPT.map((i) => `https://example.com/images/${i}.jpg`));
    expect(back.records.map((x) => x.caption)).toEqual(KEPT.map((i) => built.captions[i]));
    await expect(
      exportRun({ db: ws.ctx.db, workspace: ws.ctx.workspace, runId, format: 'webdataset' }),
    ).rejects.toThrow(/only their URLs are known.*urls-tsv/);
    await expect(
      exportRun({ db: ws.ctx.db, workspace: ws.ctx.workspace, runId, format: 'blip-json' }),
    ).rejects.toThrow(/not on disk/);
    // WFPP's schedule for a URL list: the kept URLs + the reference to the full TSV.
    const s = await exportRun({ db: ws.ctx.db, workspace: ws.ctx.workspace, runId, format: 'wfpp-schedule' });
    expect(s.manifest.details).toMatchObject({ subsetFormat: 'urls-tsv' });
  });
});
