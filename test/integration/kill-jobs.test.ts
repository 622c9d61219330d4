// The engine killed with SIGKILL in the middle of each long job — the builtin embedding,
// a TL;DR run's k-means, a webdataset export — started by the CLI, then the same job run
// again by a fresh engine: the result equals a clean run's byte for byte (vector files,
// per-pair run results, exported files), and nothing half-done is left that looks finished.
// (Clean runs and re-runs use an engine in the test process: each CLI start-up costs
// seconds of TypeScript loading; the kills need the CLI's own process.)
//
// Embedding resumes from its done bitmaps. A compress run and an export do not resume:
// the killed run is marked interrupted (its partial rows dropped) on the next engine start,
// the killed export's partial folder is removed, and the re-run starts clean.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpInput } from '../../main/api/contract';
import { closeCore, openCore } from '../../main/core/context';
import { inProcessClient, waitForJob } from '../../main/engine/client';
import { generateDemo } from '../../main/core/demo';
import { startImportJob } from '../../main/core/features/import';
import { NpyWriter } from '../../main/core/features/import/npy-write';
import { writeSyntheticWebdataset } from '../fixtures/dataset/synthetic-webdataset';
import { repoRoot, tempDir } from '../helpers/tmp';

const CLI = path.join(repoRoot, 'bin', 'tldr-studio.mjs');
/** Demo pairs for the embedding (the builtin encoder does ~20–40 pairs/s on a busy 2-core box). */
const DEMO_COUNT = 400;
/** Synthetic pairs with imported embeddings for the k-means and the export. */
const SAMPLES = 12_000;
const DIMS = 128;
const CLUSTERS = 400;

/**
 * A clean run, or the run after a kill: an engine in this process (a fresh engine start on
 * the workspace, as the next CLI command would make; it saves a CLI start-up each time).
 */
async function engineJob<N extends 'datasets.index' | 'features.embed' | 'runs.compress' | 'exports.start'>(
  workspace: string,
  op: N,
  input: OpInput<N>,
): Promise<Record<string, unknown>> {
  const client = inProcessClient(workspace);
  try {
    const started = (await client.call(op, input)) as { jobId: number };
    const job = await waitForJob(client, started.jobId);
    if (job.state !== 'done') throw new Error(`${op} ended ${job.state}: ${job.error}`);
    return job.result as Record<string, unknown>;
  } finally {
    await client.close();
  }
}

function withDb<T>(workspace: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path.join(workspace, 'tldr-studio.db'), { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

interface JobRow {
  id: number;
  state: string;
  progress: { stage?: string; done?: number; total?: number };
}

function latestJob(workspace: string, kind: string): JobRow | undefined {
  try {
    return withDb(workspace, (db) => {
      const r = db
        .prepare(`SELECT id, state, progress FROM jobs WHERE kind = ? ORDER BY id DESC LIMIT 1`)
        .get(kind) as { id: number; state: string; progress: string } | undefined;
      return r && { id: r.id, state: r.state, progress: JSON.parse(r.progress) as JobRow['progress'] };
    });
  } catch {
    return undefined; // the database is being created or migrated
  }
}

/**
 * Starts the CLI in its own process group, waits until the job's progress satisfies
 * `when`, then SIGKILLs the CLI and its engine together. Returns the progress at the kill.
 */
async function killDuring(
  workspace: string,
  args: string[],
  kind: string,
  when: (p: JobRow['progress']) => boolean,
): Promise<JobRow['progress']> {
  const child = spawn(process.execPath, [CLI, '--workspace', workspace, '--quiet', ...args], {
    detached: true,
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let exitCode: number | null | undefined;
  void exited.then((c) => (exitCode = c));
  const deadline = Date.now() + 180_000;
  let seen: JobRow | undefined;
  while (Date.now() < deadline && exitCode === undefined) {
    seen = latestJob(workspace, kind);
    if (seen?.state === 'running' && when(seen.progress)) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  if (exitCode !== undefined) throw new Error(`${args.join(' ')} ended (${exitCode}) before the kill`);
  process.kill(-child.pid!, 'SIGKILL');
  await exited;
  const p = seen!.progress;
  console.info(`killed ${kind} at ${p.stage} ${p.done}/${p.total ?? '?'}`); // the figure RELIABILITY.md quotes
  return p;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Every file under `dir` (relative path → sha256). */
function treeHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out[r] = sha256(path.join(dir, r));
    }
  };
  walk('');
  return out;
}

/** Deterministic clustered unit vectors: CLUSTERS/4 blobs, so k-means has real work. */
function writeEmbeddings(file: string, rows: number, seed: number): void {
  let s = seed >>> 0;
  const rand = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const blobs = Math.floor(CLUSTERS / 4);
  const centers = Float32Array.from({ length: blobs * DIMS }, rand);
  const w = new NpyWriter(file, rows, DIMS);
  const chunk = new Float32Array(1000 * DIMS);
  for (let r0 = 0; r0 < rows; r0 += 1000) {
    const n = Math.min(1000, rows - r0);
    for (let i = 0; i < n; i++) {
      const b = (r0 + i) % blobs;
      let norm = 0;
      for (let d = 0; d < DIMS; d++) {
        const v = centers[b * DIMS + d]! + 0.15 * rand();
        chunk[i * DIMS + d] = v;
        norm += v * v;
      }
      norm = Math.sqrt(norm);
      for (let d = 0; d < DIMS; d++) chunk[i * DIMS + d]! /= norm;
    }
    w.append(chunk.subarray(0, n * DIMS));
  }
  w.close();
}

describe('long jobs survive SIGKILL of the engine', () => {
  const t = tempDir('tldr-killjobs-');
  const demo = path.join(t.dir, 'demo');
  const shards = path.join(t.dir, 'shards');
  const emb = path.join(t.dir, 'emb');
  const clean = path.join(t.dir, 'ws-clean');
  const killed = path.join(t.dir, 'ws-killed');
  const demoData = path.join(demo, 'dataset');

  beforeAll(async () => {
    await generateDemo({ outDir: demo, seed: 3, count: DEMO_COUNT });
    await writeSyntheticWebdataset(shards, { samples: SAMPLES, perShard: 2000, imageBytes: 6000 });
    // Both workspaces: dataset 1 = the demo (embedded below), dataset 2 = the shards with
    // imported embeddings (set up in-process: the CLI has no import command).
    // Workspace "clean": dataset 1 = the demo (embedded by the first test), dataset 2 = the
    // shards with imported embeddings (in-process: the CLI has no import command). The
    // "killed" workspace starts as a copy of it, so both hold the same rows.
    expect(await engineJob(clean, 'datasets.index', { path: demoData })).toMatchObject({ pairs: DEMO_COUNT });
    expect(await engineJob(clean, 'datasets.index', { path: shards })).toMatchObject({ pairs: SAMPLES });
    const keys = withDb(clean, (db) =>
      db.prepare(`SELECT key FROM pairs WHERE dataset_id = 2 ORDER BY seq`).pluck().all(),
    ) as string[];
    mkdirSync(emb, { recursive: true });
    writeFileSync(path.join(emb, 'keys.txt'), `${keys.join('\n')}\n`);
    writeEmbeddings(path.join(emb, 'img_emb.npy'), SAMPLES, 1);
    writeEmbeddings(path.join(emb, 'text_emb.npy'), SAMPLES, 1); // same blobs, other noise
    const ctx = openCore(clean);
    try {
      const job = startImportJob(ctx, {
        datasetId: 2,
        model: 'synthetic',
        source: {
          kind: 'npy',
          image: path.join(emb, 'img_emb.npy'),
          text: path.join(emb, 'text_emb.npy'),
          keys: path.join(emb, 'keys.txt'),
        },
      });
      const end = await ctx.jobs.wait(job.id);
      expect(end.state, end.error ?? '').toBe('done');
      mkdirSync(killed);
      ctx.db.prepare(`VACUUM INTO ?`).run(path.join(killed, 'tldr-studio.db'));
    } finally {
      await closeCore(ctx);
    }
    cpSync(path.join(clean, 'features'), path.join(killed, 'features'), { recursive: true });
    const db = new Database(path.join(killed, 'tldr-studio.db'));
    db.prepare(`UPDATE feature_sets SET folder = replace(folder, ?, ?)`).run(clean, killed);
    db.close();
  }, 300_000);
  afterAll(() => t.cleanup());

  it('embedding: killed in the image stage, resumed, the vector files equal a clean run byte for byte', async () => {
    const args = ['embed', '1', '--codebook-size', '32', '--seed', '1'];
    await engineJob(clean, 'features.embed', { datasetId: 1, model: 'builtin', codebookSize: 32, seed: 1 });

    const at = await killDuring(
      killed,
      args,
      'embed',
      (p) => p.stage === 'images' && (p.done ?? 0) > 0.1 * (p.total ?? Infinity),
    );
    expect(at.done).toBeLessThan(0.9 * at.total!); // really mid-way
    const job = latestJob(killed, 'embed')!;
    expect(job.state).toBe('running'); // as the dead engine left it

    const r = await engineJob(killed, 'features.embed', {
      datasetId: 1,
      model: 'builtin',
      codebookSize: 32,
      seed: 1,
    });
    expect(r).toMatchObject({ pairs: DEMO_COUNT });
    // Resumed, not redone: this run encoded fewer images than a clean one.
    expect(r.encoded as number).toBeLessThan(DEMO_COUNT - (at.done ?? 0) + 64);
    const resumed = latestJob(killed, 'embed')!;
    expect(resumed.id).toBe(job.id);
    expect(resumed.state).toBe('done');

    const folder = (ws: string) => path.join(ws, 'features', '1', 'builtin');
    const files = treeHashes(folder(clean));
    expect(Object.keys(files).sort()).toEqual([
      'codebook.f32',
      'codes.f16',
      'image.f32',
      'layout.f16',
      'text.f32',
    ]);
    expect(treeHashes(folder(killed))).toEqual(files);
    // Per-pair errors by seq and kind (libvips words the same corrupt JPEG differently
    // from one process to the next), and the set's meta (codebook usage, counts).
    const featureRows = (ws: string) =>
      withDb(ws, (db) => ({
        errors: db
          .prepare(
            `SELECT e.seq, e.kind FROM feature_errors e JOIN feature_sets f ON f.id = e.feature_set_id
             WHERE f.dataset_id = 1 ORDER BY e.seq`,
          )
          .all(),
        sets: db.prepare(`SELECT model, meta, state FROM feature_sets WHERE dataset_id = 1`).all(),
      }));
    expect(featureRows(killed)).toEqual(featureRows(clean));
  });

  it('k-means: a TL;DR run killed mid-clustering is marked interrupted; the re-run equals a clean run', async () => {
    const spec = { method: 'tldr', budget: { ratio: 0.25 }, features: 'embedding', clusters: CLUSTERS };
    const args = ['compress', '2', '--spec', JSON.stringify(spec), '--model', 'synthetic', '--no-evaluate'];
    const input = { datasetId: 2, spec: spec as never, model: 'synthetic', evaluate: false };
    const c = await engineJob(clean, 'runs.compress', input);
    const at = await killDuring(
      killed,
      args,
      'compress',
      (p) => p.stage === 'k-means' && (p.done ?? 0) >= 1 && (p.done ?? 0) < (p.total ?? 0) - 2,
    );
    expect(at.stage).toBe('k-means');
    const k = await engineJob(killed, 'runs.compress', input);

    const runs = (ws: string) =>
      withDb(ws, (db) => db.prepare(`SELECT id, state, kept, stats FROM runs ORDER BY id`).all()) as {
        id: number;
        state: string;
        kept: number;
        stats: string;
      }[];
    const [dead, rerun] = runs(killed);
    expect(dead).toMatchObject({ state: 'failed', kept: 0 });
    expect(JSON.parse(dead!.stats)).toMatchObject({ error: expect.stringMatching(/interrupted/) });
    expect(rerun!.id).toBe(k.runId);
    const pairsOf = (ws: string, id: number) =>
      withDb(ws, (db) =>
        db
          .prepare(`SELECT seq, kept, reason, cluster, score FROM run_pairs WHERE run_id = ? ORDER BY seq`)
          .all(id),
      );
    expect(pairsOf(killed, dead!.id)).toEqual([]);
    const mine = pairsOf(killed, rerun!.id);
    expect(mine).toHaveLength(SAMPLES);
    expect(mine).toEqual(pairsOf(clean, c.runId as number));
    expect(k.kept).toBe(c.kept);
    expect(JSON.parse(rerun!.stats)).toEqual(JSON.parse(runs(clean)[0]!.stats));
    expect(latestJob(killed, 'compress')!.state).toBe('done');
  });

  it('export: killed mid-way, nothing that looks complete is left; the re-run equals a clean export byte for byte', async () => {
    // One run (the clean workspace's TL;DR run) exported twice: once clean, once killed and re-run.
    const ws = clean;
    const runId = withDb(ws, (db) =>
      db
        .prepare(`SELECT id FROM runs WHERE dataset_id = 2 AND state = 'done' ORDER BY id DESC`)
        .pluck()
        .get(),
    ) as number;
    const args = (out: string) => [
      'export',
      String(runId),
      '-f',
      'webdataset',
      '--shard-size',
      '500',
      '-o',
      out,
    ];
    const outClean = path.join(ws, 'out', 'clean-wds');
    const outKilled = path.join(ws, 'out', 'killed-wds');
    const input = (outDir: string) => ({ runId, format: 'webdataset' as const, shardSize: 500, outDir });
    await engineJob(ws, 'exports.start', input(outClean));

    const at = await killDuring(
      ws,
      args(outKilled),
      'export',
      (p) => p.stage === 'export' && (p.done ?? 0) > 0.1 * (p.total ?? Infinity),
    );
    expect(at.done).toBeLessThan(at.total!);
    const parent = path.dirname(outKilled);
    const left = readdirSync(parent).filter((n) => n.startsWith('killed-wds'));
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^killed-wds\.partial-\d+$/); // never under the final name
    expect(readdirSync(path.join(parent, left[0]!)).some((n) => n.endsWith('.tar'))).toBe(true);
    expect(existsSync(path.join(parent, left[0]!, 'manifest.json'))).toBe(false);
    const exportsRows = () =>
      withDb(ws, (db) => db.prepare(`SELECT folder FROM exports ORDER BY id`).pluck().all());
    expect(exportsRows()).toEqual([outClean]); // the killed export is not listed
    const killedJob = latestJob(ws, 'export')!;

    await engineJob(ws, 'exports.start', input(outKilled));
    // The dead export's partial folder is gone, and its job says so.
    expect(readdirSync(parent).sort()).toEqual(['clean-wds', 'killed-wds']);
    const dead = withDb(ws, (db) =>
      db.prepare(`SELECT state, error FROM jobs WHERE id = ?`).get(killedJob.id),
    ) as { state: string; error: string };
    expect(dead.state).toBe('interrupted');
    expect(dead.error).toMatch(
      /partial folder .*killed-wds\.partial-\d+ was removed and nothing was exported/,
    );

    const a = treeHashes(outClean);
    const b = treeHashes(outKilled);
    expect(Object.keys(a).filter((f) => f.endsWith('.tar')).length).toBeGreaterThan(3);
    // Every file, manifest included; the manifests differ only in their creation time.
    const manifest = (dir: string) => {
      const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
      delete m.createdAt;
      return m;
    };
    expect(manifest(outKilled)).toEqual(manifest(outClean));
    delete a['manifest.json'];
    delete b['manifest.json'];
    expect(b).toEqual(a);
    expect(exportsRows()).toEqual([outClean, outKilled]);
  });
});
