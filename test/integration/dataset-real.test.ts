// The readers on real data: ../shared/data/llava-pretrain-2k (see its SOURCE.md).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../main/core/dataset/detect';
import { createReader } from '../../main/core/dataset/registry';
import type { PairRecord } from '../../main/core/dataset/types';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataRoot = path.resolve(repoRoot, '../shared/data');
const llava = path.join(dataRoot, 'llava-pretrain-2k');
const present = existsSync(path.join(llava, 'captions.tsv'));
if (!present)
  console.warn(`dataset-real: skipped, ${llava} is absent (the shared data folder is not next to the repo)`);

async function readAll(root: string): Promise<{ format: string | undefined; records: PairRecord[] }> {
  const det = await detectFormat(root);
  if (!det.format) return { format: undefined, records: [] };
  const records: PairRecord[] = [];
  for await (const it of createReader(det.format, det.options).read({ root: det.root ?? root }))
    records.push(it.record);
  return { format: det.format, records };
}

describe.skipIf(!present)('real data: llava-pretrain-2k', () => {
  it('the folder is a table (captions.tsv + images/): 2,183 pairs, all ok, sizes as SOURCE.md says', async () => {
    const { format, records } = await readAll(llava);
    expect(format).toBe('table');
    expect(records).toHaveLength(2183);
    expect(records.filter((r) => r.error)).toEqual([]);
    const widths = records.map((r) => r.width!);
    const heights = records.map((r) => r.height!);
    expect([Math.min(...widths), Math.max(...widths)]).toEqual([336, 1052]);
    expect([Math.min(...heights), Math.max(...heights)]).toEqual([336, 850]);
    // bytes = each file's size on disk (SOURCE.md's 122,061,170 total does not match the
    // files as stored: they add up to 121,991,538).
    const bytes = records.reduce((a, r) => a + (r.bytes ?? 0), 0);
    const onDisk = readdirSync(path.join(llava, 'images')).reduce(
      (a, f) => a + statSync(path.join(llava, 'images', f)).size,
      0,
    );
    expect(bytes).toBe(onDisk);
    expect(new Set(records.map((r) => r.key)).size).toBe(2183);
    expect(records[0]).toMatchObject({
      key: '000019465.jpg',
      caption: 'the bunk room',
      image: { kind: 'file', path: 'images/000019465.jpg' },
    });
  });

  it('the original json dropped alone is llava-json: 2,183 pairs whose captions match the tsv', async () => {
    const file = path.join(llava, 'original', 'blip_laion_cc_sbu_2k.json');
    const { format, records } = await readAll(file);
    expect(format).toBe('llava-json');
    expect(records).toHaveLength(2183);
    const tsv = readFileSync(path.join(llava, 'captions.tsv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'));
    expect(records.map((r) => [`${r.key}.jpg`, r.caption])).toEqual(
      tsv.map(([image, caption]) => [image, caption]),
    );
    // The json names images as 00001/<id>.jpg; the sample dropped that subfolder and keeps
    // the images in ../images, outside the dropped file's folder: each pair says so.
    expect(new Set(records.map((r) => r.error?.kind))).toEqual(new Set(['missing_image']));
  });
});
