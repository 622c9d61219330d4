// Small indexed datasets and finished runs for the export tests: a folder of images with a
// captions.tsv, an img2dataset webdataset, an img2dataset parquet, and a URL-only TSV.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { closeCore, openCore, type CoreContext } from '../../../main/core/context';
import { detectFormat } from '../../../main/core/dataset/detect';
import { createReader } from '../../../main/core/dataset/registry';
import type { PairRecord } from '../../../main/core/dataset/types';
import { startIndexJob } from '../../../main/core/ingest/index-dataset';
import type { DatasetRow } from '../../../main/core/store/datasets';
import { getDataset } from '../../../main/core/store/datasets';
import { createRun, finishRun, writeRunPairs } from '../../../main/core/store/runs';
import {
  imagesParquet,
  sample,
  successRows,
  writeWebdatasetShard,
} from '../../fixtures/dataset/img2dataset-builder';
import { jpeg, png } from '../../fixtures/dataset/images';
import { readAll, records } from '../../fixtures/dataset/read-all';
import { makeTempDir, put } from '../../fixtures/dataset/temp-dir';

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

export interface Built {
  root: string;
  captions: string[];
  images: Buffer[];
}

/** A 32-hex uid per index (DataComp's 128-bit form), deliberately not in index order. */
export function hexUid(i: number): string {
  return createHash('md5').update(`uid-${i}`).digest('hex');
}

export function caption(i: number): string {
  return `a photo of thing number ${i} on a table`;
}

/** images/img_<i>.jpg (every 4th a png) + captions.tsv (image, caption). */
export async function buildFolderDataset(dir: string, n: number): Promise<Built> {
  const images: Buffer[] = [];
  const captions: string[] = [];
  const lines = ['image\tcaption'];
  for (let i = 0; i < n; i++) {
    const img = i % 4 === 3 ? await png(20 + i, 16) : await jpeg(24 + i, 18, i + 1);
    const ext = i % 4 === 3 ? 'png' : 'jpg';
    await put(dir, `images/img_${i}.${ext}`, img);
    images.push(img);
    captions.push(caption(i));
    lines.push(`images/img_${i}.${ext}\t${caption(i)}`);
  }
  await put(dir, 'captions.tsv', `${lines.join('\n')}\n`);
  return { root: dir, captions, images };
}

export const wdsKey = (i: number) => String(i).padStart(9, '0');

/** img2dataset webdataset: shards of `perShard` samples with uid, url, sha256 in each json. */
export async function buildWebdatasetDataset(dir: string, n: number, perShard: number): Promise<Built> {
  const images: Buffer[] = [];
  const captions: string[] = [];
  for (let s = 0; s * perShard < n; s++) {
    const samples = [];
    for (let i = s * perShard; i < Math.min(n, (s + 1) * perShard); i++) {
      const img = await jpeg(30 + i, 20, i + 3);
      images.push(img);
      captions.push(caption(i));
      samples.push(sample(wdsKey(i), img, caption(i), 30 + i, 20, { uid: hexUid(i) }));
    }
    await writeWebdatasetShard(dir, String(s).padStart(5, '0'), {
      samples,
      attempts: successRows(samples),
      stats: { count: samples.length, successes: samples.length },
    });
  }
  return { root: dir, captions, images };
}

/** img2dataset parquet output: image bytes in a `jpg` column. */
export async function buildParquetDataset(dir: string, n: number): Promise<Built> {
  const images: Buffer[] = [];
  const captions: string[] = [];
  const rows = [];
  for (let i = 0; i < n; i++) {
    const img = await jpeg(26 + i, 22, i + 7);
    images.push(img);
    captions.push(caption(i));
    rows.push({ key: wdsKey(i), image: img, txt: caption(i), status: 'success', width: 26 + i, height: 22 });
  }
  await put(dir, '00000.parquet', imagesParquet(rows, { withSize: true }));
  return { root: dir, captions, images };
}

/** CC12M-like url<TAB>caption TSV: nothing on disk. */
export async function buildUrlDataset(dir: string, n: number): Promise<Built> {
  const captions: string[] = [];
  const lines = ['url\tcaption'];
  for (let i = 0; i < n; i++) {
    captions.push(caption(i));
    lines.push(`https://example.com/images/${i}.jpg\t${caption(i)}`);
  }
  await put(dir, 'cc12m.tsv', `${lines.join('\n')}\n`);
  return { root: path.join(dir, 'cc12m.tsv'), captions, images: [] };
}

export async function indexDataset(ctx: CoreContext, root: string): Promise<DatasetRow> {
  const started = await startIndexJob(ctx, { path: root });
  const job = await ctx.jobs.wait(started.job.id);
  if (job.state !== 'done') throw new Error(`indexing ${root} ended ${job.state}: ${job.error}`);
  return getDataset(ctx.db, started.dataset.id)!;
}

export interface RunSpec {
  method?: string;
  label?: string;
  evaluation?: unknown;
  stats?: Record<string, unknown>;
  refined?: { seq: number; generated: string; merged: string; truncated: number }[];
}

/** A finished run over `n` pairs keeping `kept` (seqs). */
export function makeRun(
  ctx: CoreContext,
  datasetId: number,
  n: number,
  kept: readonly number[],
  spec: RunSpec = {},
): number {
  const run = createRun(ctx.db, {
    datasetId,
    method: spec.method ?? 'wfpp',
    label: spec.label ?? 'WFPP 50 %',
    params: { budget: { ratio: 0.5 }, t: 1e-7, seed: 7 },
  });
  const keep = new Set(kept);
  writeRunPairs(
    ctx.db,
    run.id,
    Array.from({ length: n }, (_, seq) => ({
      seq,
      kept: keep.has(seq),
      reason: keep.has(seq) ? 'wfpp:kept' : 'wfpp:frequent-words',
      score: seq / n,
    })),
  );
  for (const r of spec.refined ?? []) {
    ctx.db
      .prepare(
        `INSERT INTO refined_captions (run_id, seq, model, generated, merged, truncated) VALUES (?,?,?,?,?,?)`,
      )
      .run(run.id, r.seq, 'blip-base', r.generated, r.merged, r.truncated);
  }
  finishRun(ctx.db, run.id, {
    state: 'done',
    kept: kept.length,
    eligible: n,
    stats: spec.stats ?? {
      steps: [
        { step: 'eligible', label: 'eligible pairs', count: n },
        { step: 'wfpp', label: 'top 50 % by word-frequency score', count: kept.length },
      ],
    },
    evaluation: spec.evaluation,
  });
  return run.id;
}

/** Reads an export folder (or file) back through detection and our own readers. */
export async function readBack(target: string): Promise<{ format: string; records: PairRecord[] }> {
  const detection = await detectFormat(target);
  if (!detection.format) throw new Error(`detection failed on ${target}: ${detection.problem}`);
  const reader = createReader(detection.format, detection.options);
  const items = await readAll(reader, { root: detection.root ?? target });
  return { format: detection.format, records: records(items) };
}

export interface Workspace {
  ctx: CoreContext;
  dir: string;
  data: string;
  close: () => Promise<void>;
}

export function workspace(prefix = 'tldr-export-'): Workspace {
  const tmp = makeTempDir(prefix);
  const ctx = openCore(path.join(tmp.dir, 'ws'));
  return {
    ctx,
    dir: tmp.dir,
    data: path.join(tmp.dir, 'data'),
    close: async () => {
      await closeCore(ctx);
      tmp.cleanup();
    },
  };
}
