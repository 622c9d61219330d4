// Writes the demo dataset: <outDir>/dataset/{images/<key>.jpg, captions.tsv} and the
// ground truth <outDir>/demo-manifest.json (written last: its presence means complete).
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DEMO_GENERATOR_VERSION,
  DEMO_MANIFEST_FORMAT,
  DEMO_RATES,
  type DemoItem,
  type DemoManifest,
} from './manifest';
import { planDemo, type DemoPlan, type PlannedItem } from './plan';
import { forEachPool } from './pool';
import { corruptFile, nearDuplicateJpeg, renderSceneJpeg } from './render-image';

export interface GenerateDemoOptions {
  outDir: string;
  seed?: number;
  /** Pairs (= image files) in total, near-duplicate copies and corrupt files included. */
  count?: number;
  /** Side of the square scenes in pixels. */
  size?: number;
  /** Scenes rendered at once. */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface DemoPaths {
  manifest: string;
  /** Present while a generation runs (and after one was interrupted). */
  inProgress: string;
  datasetDir: string;
  imagesDir: string;
  captionsFile: string;
}

export function demoPaths(outDir: string): DemoPaths {
  const datasetDir = path.join(outDir, 'dataset');
  return {
    manifest: path.join(outDir, 'demo-manifest.json'),
    inProgress: path.join(outDir, '.demo-in-progress'),
    datasetDir,
    imagesDir: path.join(datasetDir, 'images'),
    captionsFile: path.join(datasetDir, 'captions.tsv'),
  };
}

/** The manifest in `outDir`, or undefined when there is none (or it is not ours). */
export async function readDemoManifest(outDir: string): Promise<DemoManifest | undefined> {
  try {
    const parsed = JSON.parse(await readFile(demoPaths(outDir).manifest, 'utf8')) as Partial<DemoManifest>;
    return parsed.format === DEMO_MANIFEST_FORMAT ? (parsed as DemoManifest) : undefined;
  } catch {
    return undefined;
  }
}

async function fileSize(p: string): Promise<number | undefined> {
  try {
    const st = await stat(p);
    return st.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}

/** True when every file the manifest lists is there with its recorded size. */
async function isIntact(outDir: string, m: DemoManifest): Promise<boolean> {
  const paths = demoPaths(outDir);
  if ((await fileSize(paths.captionsFile)) === undefined) return false;
  for (const item of m.items) {
    if ((await fileSize(path.join(paths.datasetDir, item.image))) !== item.bytes) return false;
  }
  return true;
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch {
    return true;
  }
}

const sha256 = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');
const imagePath = (key: string) => `images/${key}.jpg`;

/** Header and rows of captions.tsv; the image column is relative to the table's folder. */
export function captionsTsv(items: readonly { key: string; caption: string }[]): string {
  const clean = (s: string) => s.replace(/[\t\r\n]+/gu, ' ');
  return `image\tcaption\n${items.map((it) => `${imagePath(it.key)}\t${clean(it.caption)}\n`).join('')}`;
}

function toManifestItem(plan: DemoPlan, it: PlannedItem, file: { bytes: number; sha256: string }): DemoItem {
  const scene = plan.scenes[it.scene]!;
  const item: DemoItem = {
    key: it.key,
    image: imagePath(it.key),
    caption: it.caption,
    trueCaption: it.trueCaption,
    width: it.width,
    height: it.height,
    bytes: file.bytes,
    sha256: file.sha256,
    scene: it.scene,
    background: scene.background,
    objects: it.objects.map((o) => ({ name: o.name, colour: o.colour, zone: o.zone, box: { ...o.box } })),
    plant: it.plant,
  };
  if (it.duplicate) item.duplicate = it.duplicate;
  if (it.captionFromScene !== undefined) item.captionFrom = plan.sceneKey[it.captionFromScene]!;
  if (it.corruption) item.corruption = it.corruption;
  return item;
}

function buildManifest(
  plan: DemoPlan,
  count: number,
  files: Map<string, { bytes: number; sha256: string }>,
): DemoManifest {
  const items = plan.items.map((it) => toManifestItem(plan, it, files.get(it.key)!));
  const groups = new Map<number, string[]>();
  for (const it of items) {
    if (!it.duplicate) continue;
    const keys = groups.get(it.duplicate.group) ?? [];
    if (it.duplicate.role === 'original') keys.unshift(it.key);
    else keys.push(it.key);
    groups.set(it.duplicate.group, keys);
  }
  const planted = {
    nearDuplicateGroups: [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, keys]) => keys),
    mismatchedCaptions: items.flatMap((it) =>
      it.captionFrom ? [{ key: it.key, captionFrom: it.captionFrom }] : [],
    ),
    frequentWordCaptions: items.filter((it) => it.plant === 'frequent_words_caption').map((it) => it.key),
    corruptFiles: items.flatMap((it) => (it.corruption ? [{ key: it.key, corruption: it.corruption }] : [])),
  };
  const copies = planted.nearDuplicateGroups.reduce((n, g) => n + g.length - 1, 0);
  return {
    format: DEMO_MANIFEST_FORMAT,
    version: DEMO_GENERATOR_VERSION,
    seed: plan.seed,
    count,
    size: plan.size,
    datasetDir: 'dataset',
    captionsFile: 'dataset/captions.tsv',
    imagesDir: 'dataset/images',
    rates: DEMO_RATES,
    items,
    summary: {
      pairs: count,
      scenes: count - copies,
      nearDuplicateGroups: planted.nearDuplicateGroups.length,
      nearDuplicateCopies: copies,
      mismatchedCaptions: planted.mismatchedCaptions.length,
      frequentWordCaptions: planted.frequentWordCaptions.length,
      corruptFiles: planted.corruptFiles.length,
    },
    planted,
  };
}

/**
 * Generates (or reuses, when `outDir` already holds a complete demo with the same seed,
 * count and size) the demo dataset. Refuses to write into a non-empty `dataset` folder
 * that is not a demo.
 */
export async function generateDemo(opts: GenerateDemoOptions): Promise<DemoManifest> {
  const { outDir, seed = 1, count = 3000, size = 224, concurrency = 4, onProgress, signal } = opts;
  const paths = demoPaths(outDir);
  const existing = await readDemoManifest(outDir);
  if (
    existing &&
    existing.version === DEMO_GENERATOR_VERSION &&
    existing.seed === seed &&
    existing.count === count &&
    existing.size === size &&
    (await isIntact(outDir, existing))
  ) {
    onProgress?.(count, count);
    return existing;
  }
  const interrupted = (await fileSize(paths.inProgress)) !== undefined;
  if (!existing && !interrupted && !(await isEmptyOrMissing(paths.datasetDir))) {
    throw new Error(`${paths.datasetDir} exists and is not a demo dataset; choose another folder`);
  }
  // Ours (or empty): start clean so no stale image of a larger demo is left behind. The
  // marker lets a later run recognise the folder as ours if this one is interrupted.
  await mkdir(outDir, { recursive: true });
  await writeFile(paths.inProgress, `${JSON.stringify({ seed, count, size })}\n`);
  await rm(paths.manifest, { force: true });
  await rm(paths.datasetDir, { recursive: true, force: true });
  await mkdir(paths.imagesDir, { recursive: true });

  const plan = planDemo(seed, count, size);
  const byScene = new Map<number, PlannedItem[]>();
  for (const it of plan.items) {
    const list = byScene.get(it.scene) ?? [];
    list.push(it);
    byScene.set(it.scene, list);
  }
  const files = new Map<string, { bytes: number; sha256: string }>();
  let done = 0;
  await forEachPool(
    [...byScene.entries()],
    concurrency,
    async ([sceneIndex, items]) => {
      const jpeg = await renderSceneJpeg(plan.scenes[sceneIndex]!);
      for (const it of items) {
        let bytes = jpeg;
        if (it.corruption) bytes = corruptFile(jpeg, it.corruption, seed, sceneIndex);
        else if (it.duplicate?.variant) bytes = await nearDuplicateJpeg(jpeg, it.duplicate.variant);
        await writeFile(path.join(paths.datasetDir, imagePath(it.key)), bytes);
        files.set(it.key, { bytes: bytes.length, sha256: sha256(bytes) });
        onProgress?.(++done, count);
      }
    },
    signal,
  );

  await writeFile(paths.captionsFile, captionsTsv(plan.items));
  const manifest = buildManifest(plan, count, files);
  const tmp = `${paths.manifest}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(manifest) + '\n');
  await rename(tmp, paths.manifest);
  await rm(paths.inProgress, { force: true });
  return manifest;
}
