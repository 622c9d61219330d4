import {
  readdirSync,
  readFileSync,
  statSync,
  mkdtempSync,
  rmSync,
  mkdirSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPaths, generateDemo } from '../../../main/core/demo/generate';
import type { DemoItem, DemoManifest } from '../../../main/core/demo/manifest';
import { COLOURS } from '../../../main/core/demo/vocabulary';
import { decodeImage } from '../../../main/core/image/decode';
import { ImageError } from '../../../main/core/image/errors';

let base: string;
let outDir: string;
let manifest: DemoManifest;
let generationMs: number;
const COUNT = 400;

const fileOf = (item: DemoItem) => readFileSync(path.join(outDir, 'dataset', item.image));
const thumb = async (item: DemoItem) =>
  (await decodeImage(fileOf(item), { fit: { width: 32, height: 32, mode: 'fill' } })).data;
const meanAbsDiff = (a: Uint8Array, b: Uint8Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
};

/** Every file under `dir`, relative, sorted. */
function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
    .sort();
}

beforeAll(async () => {
  base = mkdtempSync(path.join(tmpdir(), 'demo-'));
  outDir = path.join(base, 'demo');
  const t0 = performance.now();
  manifest = await generateDemo({ outDir, seed: 1, count: COUNT });
  generationMs = performance.now() - t0;
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('generateDemo: layout', () => {
  it('writes images + captions.tsv in the dataset folder and the manifest beside it', () => {
    expect(listTree(outDir)).toEqual(
      [
        'dataset/captions.tsv',
        ...manifest.items.map((i) => `dataset/${i.image}`),
        'demo-manifest.json',
      ].sort(),
    );
    expect(manifest.items).toHaveLength(COUNT);
    expect(manifest.items[7]!.image).toBe('images/000000007.jpg');
    const lines = readFileSync(demoPaths(outDir).captionsFile, 'utf8').split('\n');
    expect(lines[0]).toBe('image\tcaption');
    expect(lines).toHaveLength(COUNT + 2); // header + rows + final newline
    expect(lines[8]).toBe(`images/000000007.jpg\t${manifest.items[7]!.caption}`);
    const onDisk = JSON.parse(readFileSync(demoPaths(outDir).manifest, 'utf8')) as DemoManifest;
    expect(onDisk).toEqual(manifest);
    // Generous bound for a loaded 2-core box; the 3000-image timing is in the report.
    expect(generationMs).toBeLessThan(30_000);
  });

  it('records file sizes and every planted kind', () => {
    for (const item of manifest.items)
      expect(statSync(path.join(outDir, 'dataset', item.image)).size).toBe(item.bytes);
    const p = manifest.planted;
    expect(p.nearDuplicateGroups.length).toBeGreaterThanOrEqual(15);
    expect(p.mismatchedCaptions).toHaveLength(20);
    expect(p.frequentWordCaptions).toHaveLength(12);
    expect(p.corruptFiles.map((c) => c.corruption).sort()).toEqual(['empty', 'random', 'truncated']);
    const keys = new Set(manifest.items.map((i) => i.key));
    for (const m of p.mismatchedCaptions) expect(keys.has(m.captionFrom)).toBe(true);
    const copies = p.nearDuplicateGroups.reduce((n, g) => n + g.length - 1, 0);
    expect(manifest.summary).toEqual({
      pairs: COUNT,
      scenes: COUNT - copies,
      nearDuplicateGroups: p.nearDuplicateGroups.length,
      nearDuplicateCopies: copies,
      mismatchedCaptions: 20,
      frequentWordCaptions: 12,
      corruptFiles: 3,
    });
  });
});

describe('generateDemo: pixels', () => {
  it('writes corrupt files that fail to decode, and others that decode at their recorded size', async () => {
    for (const item of manifest.items) {
      if (item.plant === 'corrupt_file') {
        const e = await decodeImage(fileOf(item)).catch((err: unknown) => err);
        expect(e, item.key).toBeInstanceOf(ImageError);
        expect((e as ImageError).kind).toBe('corrupt_image');
      } else {
        const img = await decodeImage(fileOf(item));
        expect([img.width, img.height]).toEqual([item.width, item.height]);
      }
    }
  });

  it('makes near-duplicate copies visually close and random pairs not', async () => {
    const byKey = new Map(manifest.items.map((i) => [i.key, i]));
    const variants = new Set<string>();
    for (const [orig, ...copies] of manifest.planted.nearDuplicateGroups) {
      const a = await thumb(byKey.get(orig!)!);
      for (const c of copies) {
        variants.add(byKey.get(c)!.duplicate!.variant!.kind);
        expect(meanAbsDiff(a, await thumb(byKey.get(c)!)), `${orig} vs ${c}`).toBeLessThan(12);
      }
    }
    expect([...variants].sort()).toEqual(['crop', 'reencode', 'resize']);
    const ok = manifest.items.filter((i) => i.plant !== 'corrupt_file');
    const diffs: number[] = [];
    for (let i = 0; i < 100; i++) {
      const a = ok[(i * 37) % ok.length]!;
      const b = ok[(i * 101 + 11) % ok.length]!;
      if (a.scene !== b.scene) diffs.push(meanAbsDiff(await thumb(a), await thumb(b)));
    }
    diffs.sort((x, y) => x - y);
    expect(diffs.filter((d) => d > 12).length / diffs.length).toBeGreaterThan(0.85);
    expect(diffs[diffs.length >> 1]).toBeGreaterThan(35);
  });

  it('draws each object inside its box, in its named colour', async () => {
    // What TiMix's saliency checks rely on: the box holds the named thing.
    for (const item of manifest.items.filter((i) => i.plant !== 'corrupt_file')) {
      const img = await decodeImage(fileOf(item));
      for (const o of item.objects) {
        const [r, g, b] = COLOURS[o.colour].rgb;
        let hit = 0;
        for (let y = o.box.y; y < o.box.y + o.box.height; y++) {
          for (let x = o.box.x; x < o.box.x + o.box.width; x++) {
            const p = (y * img.width + x) * 3;
            if (Math.hypot(img.data[p]! - r, img.data[p + 1]! - g, img.data[p + 2]! - b) < 60) hit++;
          }
        }
        expect(hit / (o.box.width * o.box.height), `${item.key} ${o.colour} ${o.name}`).toBeGreaterThan(0.1);
      }
    }
  });
});

describe('generateDemo: determinism and reuse', () => {
  const small = { count: 40, size: 96 };

  it('writes byte-identical files for the same seed, different ones for another seed', async () => {
    const a = path.join(base, 'a');
    const b = path.join(base, 'b');
    const c = path.join(base, 'c');
    await generateDemo({ outDir: a, seed: 7, ...small });
    await generateDemo({ outDir: b, seed: 7, ...small, concurrency: 1 });
    await generateDemo({ outDir: c, seed: 8, ...small });
    const files = listTree(a);
    expect(listTree(b)).toEqual(files);
    for (const f of files)
      expect(readFileSync(path.join(b, f)).equals(readFileSync(path.join(a, f))), f).toBe(true);
    const differing = files.filter((f) => {
      const other = path.join(c, f);
      return !existsSync(other) || !readFileSync(other).equals(readFileSync(path.join(a, f)));
    });
    expect(differing.length).toBeGreaterThan(files.length * 0.9);
  });

  it('reuses a complete demo with the same parameters and regenerates otherwise', async () => {
    const d = path.join(base, 'reuse');
    const first = await generateDemo({ outDir: d, seed: 3, ...small });
    const img = path.join(d, 'dataset', first.items[0]!.image);
    const mtime = statSync(img).mtimeMs;
    await new Promise((r) => setTimeout(r, 30));
    const again = await generateDemo({ outDir: d, seed: 3, ...small });
    expect(again).toEqual(first);
    expect(statSync(img).mtimeMs).toBe(mtime);
    // A missing file breaks the reuse; a different count regenerates without leftovers.
    rmSync(img);
    await generateDemo({ outDir: d, seed: 3, ...small });
    expect(existsSync(img)).toBe(true);
    const fewer = await generateDemo({ outDir: d, seed: 3, count: 30, size: 96 });
    expect(readdirSync(path.join(d, 'dataset', 'images'))).toHaveLength(30);
    expect(fewer.count).toBe(30);
  });

  it('refuses to write into a dataset folder that is not a demo', async () => {
    const d = path.join(base, 'foreign');
    mkdirSync(path.join(d, 'dataset'), { recursive: true });
    writeFileSync(path.join(d, 'dataset', 'mine.txt'), 'precious');
    await expect(generateDemo({ outDir: d, ...small })).rejects.toThrow(/not a demo/);
    expect(readFileSync(path.join(d, 'dataset', 'mine.txt'), 'utf8')).toBe('precious');
  });
});
