// The rules that keep exports trustworthy: never overwrite, never leave a half-written
// folder that looks complete, a full disk or a cancel leaves nothing behind, and a
// source file that vanished or changed since indexing is skipped with its reason.
import {
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { closeCore, openCore } from '../../../main/core/context';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRun, ExportError, listExports, nodeIo, type ExportIo } from '../../../main/core/export';
import { formatBytes } from '../../../main/core/export/errors';
import type { DatasetRow } from '../../../main/core/store/datasets';
import { createRun } from '../../../main/core/store/runs';
import {
  buildFolderDataset,
  buildWebdatasetDataset,
  indexDataset,
  makeRun,
  readBack,
  workspace,
  type Built,
  type Workspace,
} from './fixtures';

const N = 10;
const KEPT = [1, 2, 4, 6, 7, 9];

/** An io whose writes fail once `limit` bytes have been written in total. */
function failingIo(limit: number, code: string): ExportIo & { written: () => number } {
  let total = 0;
  return {
    written: () => total,
    async create(file) {
      const h = await nodeIo.create(file);
      return {
        async write(data) {
          if (total + data.byteLength > limit) {
            const e = new Error(`${code}: simulated, write`) as NodeJS.ErrnoException;
            e.code = code;
            throw e;
          }
          total += data.byteLength;
          await h.write(data);
        },
        close: () => h.close(),
      };
    },
  };
}

/** Nothing at `dir`, and no `<dir>.partial-*` beside it. */
function nothingLeft(dir: string): void {
  expect(existsSync(dir)).toBe(false);
  const parent = path.dirname(dir);
  const leftovers = existsSync(parent)
    ? readdirSync(parent).filter((n) => n.startsWith(`${path.basename(dir)}.`))
    : [];
  expect(leftovers).toEqual([]);
}

async function rejection(p: Promise<unknown>): Promise<ExportError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ExportError);
    return e as ExportError;
  }
  throw new Error('expected the export to fail');
}

let ws: Workspace;
let built: Built;
let dataset: DatasetRow;
let runId: number;
let wds: Built;
let wdsRunId: number;

beforeAll(async () => {
  ws = workspace('tldr-export-safety-');
  built = await buildFolderDataset(path.join(ws.data, 'folder'), N);
  dataset = await indexDataset(ws.ctx, built.root);
  runId = makeRun(ws.ctx, dataset.id, N, KEPT);
  wds = await buildWebdatasetDataset(path.join(ws.data, 'wds'), N, 4);
  const d = await indexDataset(ws.ctx, wds.root);
  wdsRunId = makeRun(ws.ctx, d.id, N, KEPT);
});
afterAll(async () => ws.close());

const base = () => ({ db: ws.ctx.db, workspace: ws.ctx.workspace });

describe('never overwrite', () => {
  it('refuses a second export into the same folder; overwrite replaces an earlier export', async () => {
    const outDir = path.join(ws.dir, 'out', 'same');
    const first = await exportRun({ ...base(), runId, format: 'blip-json', outDir });
    const e = await rejection(exportRun({ ...base(), runId, format: 'openclip-tsv', outDir }));
    expect(e.kind).toBe('exists');
    expect(e.message).toMatch(/already exists and is not empty; exports never overwrite/);
    expect(readdirSync(outDir).sort()).toEqual(['blip.json', 'manifest.json']);
    const second = await exportRun({ ...base(), runId, format: 'openclip-tsv', outDir, overwrite: true });
    expect(readdirSync(outDir).sort()).toEqual(['manifest.json', 'openclip.tsv']);
    expect(readdirSync(path.dirname(outDir))).toEqual(['same']);
    expect(listExports(ws.ctx.db, runId).map((x) => x.id)).toEqual(
      expect.arrayContaining([first.exportId, second.exportId]),
    );
  });

  it('an empty existing folder is fine; a non-export folder is never overwritten', async () => {
    const empty = path.join(ws.dir, 'out', 'empty');
    await mkdir(empty, { recursive: true });
    await exportRun({ ...base(), runId, format: 'blip-json', outDir: empty });
    const precious = path.join(ws.dir, 'out', 'precious');
    await mkdir(precious, { recursive: true });
    writeFileSync(path.join(precious, 'thesis.tex'), 'do not lose me');
    const e = await rejection(
      exportRun({ ...base(), runId, format: 'blip-json', outDir: precious, overwrite: true }),
    );
    expect(e.kind).toBe('refused');
    expect(readFileSync(path.join(precious, 'thesis.tex'), 'utf8')).toBe('do not lose me');
  });

  it('refuses folders inside the dataset or around the workspace index', async () => {
    const inside = await rejection(
      exportRun({ ...base(), runId, format: 'blip-json', outDir: path.join(built.root, 'exp') }),
    );
    expect(inside.message).toMatch(/never write into a dataset folder/);
    const around = await rejection(
      exportRun({ ...base(), runId, format: 'blip-json', outDir: ws.dir, overwrite: true }),
    );
    expect(around.message).toMatch(/contains/);
  });

  it('refuses unknown runs and unfinished runs', async () => {
    expect((await rejection(exportRun({ ...base(), runId: 9999, format: 'uids' }))).message).toMatch(
      /no run with id 9999/,
    );
    const running = createRun(ws.ctx.db, { datasetId: dataset.id, method: 'random', label: 'r', params: {} });
    expect((await rejection(exportRun({ ...base(), runId: running.id, format: 'uids' }))).message).toMatch(
      /is running/,
    );
  });
});

describe('no partial export ever looks complete', () => {
  it('a write error half-way removes everything and names the file', async () => {
    const outDir = path.join(ws.dir, 'out', 'eio');
    // Let the first shard (and its stats) through, fail in the second.
    const probe = await exportRun({ ...base(), runId: wdsRunId, format: 'webdataset', shardSize: 2 });
    const size = (p: string) => probe.files.find((f) => f.path === p)!.bytes;
    const io = failingIo(size('00000.tar') + size('00000_stats.json') + 10, 'EIO');
    const e = await rejection(
      exportRun({ ...base(), runId: wdsRunId, format: 'webdataset', shardSize: 2, outDir, io }),
    );
    expect(e.kind).toBe('failed');
    expect(e.message).toMatch(/while writing 00001\.tar: EIO: simulated.*nothing was left behind/);
    expect(io.written()).toBeGreaterThan(0);
    nothingLeft(outDir);
  });

  it('a full disk (ENOSPC) gives a clear message and leaves nothing behind', async () => {
    const outDir = path.join(ws.dir, 'out', 'enospc');
    const io = failingIo(9000, 'ENOSPC');
    const e = await rejection(
      exportRun({ ...base(), runId: wdsRunId, format: 'webdataset', outDir, shardSize: 2, io }),
    );
    expect(e.kind).toBe('disk_full');
    // The figures: what the file system took before it failed, and the images' indexed bytes.
    const imageBytes = (
      ws.ctx.db
        .prepare(
          `SELECT SUM(p.bytes) AS b FROM run_pairs r JOIN pairs p ON p.seq = r.seq AND p.dataset_id = (SELECT dataset_id FROM runs WHERE id = ?) WHERE r.run_id = ? AND r.kept = 1`,
        )
        .get(wdsRunId, wdsRunId) as { b: number }
    ).b;
    expect(e.message).toContain(`${formatBytes(io.written())} had been written`);
    expect(e.message).toContain(`needs about ${formatBytes(imageBytes + 1536 * KEPT.length)}`);
    expect(e.message).toMatch(
      /^the disk is full: writing 0000\d\.tar in .*enospc failed \(\d+(\.\d+)? (bytes|KiB) had been written, the export needs about \d+(\.\d+)? KiB, .* is free there now\); nothing was left behind/,
    );
    nothingLeft(outDir);
  });

  it('ENOSPC on a small file (the manifest) is caught as well', async () => {
    const outDir = path.join(ws.dir, 'out', 'enospc-small');
    // blip.json of 6 pairs is < 1 KiB: the limit lets it through and fails the manifest.
    const blip = failingIo(1 << 30, 'ENOSPC');
    const probe = await exportRun({
      ...base(),
      runId,
      format: 'blip-json',
      outDir: path.join(ws.dir, 'out', 'probe'),
      io: blip,
    });
    const listBytes = probe.files.find((f) => f.path === 'blip.json')!.bytes;
    const e = await rejection(
      exportRun({ ...base(), runId, format: 'blip-json', outDir, io: failingIo(listBytes + 10, 'ENOSPC') }),
    );
    expect(e.message).toMatch(
      /the disk is full: writing manifest\.json in .*enospc-small failed \(\d+ bytes had been written, [^)]*is free there now\)/,
    );
    nothingLeft(outDir);
  });

  it('cancelling through the AbortSignal removes the partial folder', async () => {
    const outDir = path.join(ws.dir, 'out', 'cancel');
    const ac = new AbortController();
    const e = await rejection(
      exportRun({
        ...base(),
        runId: wdsRunId,
        format: 'webdataset',
        outDir,
        signal: ac.signal,
        onProgress: (p) => {
          if (p.stage === 'write' && p.done >= 1) ac.abort();
        },
      }),
    );
    expect(e.kind).toBe('cancelled');
    expect(e.message).toMatch(/cancelled; nothing was left behind/);
    nothingLeft(outDir);
  });

  it('clears partial folders of dead processes; refuses a second live export to the same folder', async () => {
    const outDir = path.join(ws.dir, 'out', 'stale');
    const stale = `${outDir}.partial-999999999`;
    await mkdir(stale, { recursive: true });
    writeFileSync(path.join(stale, 'half.tar'), 'half');
    const both = await Promise.allSettled([
      exportRun({ ...base(), runId: wdsRunId, format: 'webdataset', outDir }),
      exportRun({ ...base(), runId: wdsRunId, format: 'webdataset', outDir }),
    ]);
    // Whichever reaches the folder first writes it (file-system timing decides); the other is refused.
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = both.find((r) => r.status === 'rejected')!;
    expect((refused.reason as ExportError).kind).toBe('exists');
    expect(existsSync(stale)).toBe(false);
    expect(readdirSync(path.dirname(outDir)).filter((n) => n.startsWith('stale'))).toEqual(['stale']);
  });

  it('at engine start, partial folders of dead exports are removed (job checkpoint and exports/), live ones kept', async () => {
    const tmp = workspace('tldr-export-sweep-');
    const wsDir = tmp.ctx.workspace;
    await closeCore(tmp.ctx);
    const live = spawn('sleep', ['60']);
    try {
      const custom = path.join(tmp.dir, 'elsewhere', 'mine.partial-999999999');
      const byDefault = path.join(wsDir, 'exports', '1-1-webdataset-20250101-000000-000.partial-999999998');
      const running = path.join(wsDir, 'exports', '1-1-blip-json-20250101-000000-000.partial-' + live.pid);
      const notOurs = path.join(wsDir, 'exports', 'notes.partial-x');
      for (const d of [custom, byDefault, running, notOurs]) {
        await mkdir(d, { recursive: true });
        writeFileSync(path.join(d, '00000.tar'), 'half');
      }
      // As a killed engine leaves it: the export job still "running", its checkpoint naming the folder.
      const db = new Database(path.join(wsDir, 'tldr-studio.db'));
      const jobId = db
        .prepare(
          `INSERT INTO jobs (kind, params, state, checkpoint, created_at, updated_at) VALUES ('export', '{}', 'running', ?, '', '')`,
        )
        .run(JSON.stringify({ partial: custom })).lastInsertRowid;
      db.close();
      const ctx = openCore(wsDir);
      try {
        expect(existsSync(custom)).toBe(false);
        expect(existsSync(byDefault)).toBe(false);
        expect(existsSync(running)).toBe(true); // its process is alive: an export in progress
        expect(existsSync(notOurs)).toBe(true); // not a staging name
        const job = ctx.jobs.get(Number(jobId))!;
        expect(job.state).toBe('interrupted');
        expect(job.error).toMatch(
          /partial folder .*mine\.partial-999999999 was removed and nothing was exported/,
        );
      } finally {
        await closeCore(ctx);
      }
    } finally {
      live.kill('SIGKILL');
      rmSync(tmp.dir, { recursive: true, force: true });
    }
  });

  it('progress runs from 0 to the kept count', async () => {
    const seen: number[] = [];
    await exportRun({
      ...base(),
      runId,
      format: 'urls-tsv',
      onProgress: (p) => {
        if (p.stage === 'write') seen.push(p.done);
      },
    }).catch(() => undefined); // the folder dataset has no URLs: refused before writing
    const r = await exportRun({
      ...base(),
      runId: wdsRunId,
      format: 'webdataset',
      onProgress: (p) => {
        if (p.stage === 'write') {
          expect(p.total).toBe(KEPT.length);
          seen.push(p.done);
        }
      },
    });
    expect(seen[seen.length - 1]).toBe(KEPT.length);
    expect(r.written).toBe(KEPT.length);
  });
});

describe('sources that changed since indexing', () => {
  it('a deleted image file is skipped with its reason (webdataset and blip-json)', async () => {
    const ws2 = workspace('tldr-export-gone-');
    try {
      const b = await buildFolderDataset(path.join(ws2.data, 'folder'), N);
      const d = await indexDataset(ws2.ctx, b.root);
      const rid = makeRun(ws2.ctx, d.id, N, KEPT);
      rmSync(path.join(b.root, 'images', 'img_2.jpg'));
      truncateSync(path.join(b.root, 'images', 'img_4.jpg'), 50);
      for (const format of ['webdataset', 'blip-json'] as const) {
        const r = await exportRun({ db: ws2.ctx.db, workspace: ws2.ctx.workspace, runId: rid, format });
        expect(r.written).toBe(KEPT.length - 2);
        expect(r.skippedByReason).toEqual({ missing_image: 1, image_changed: 1 });
        expect(r.manifest.counts).toMatchObject({ kept: KEPT.length, written: KEPT.length - 2, skipped: 2 });
        const lines = readFileSync(path.join(r.folder, 'skipped.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l));
        expect(lines).toEqual([
          expect.objectContaining({
            seq: 2,
            reason: 'missing_image',
            message: expect.stringMatching(/img_2\.jpg does not exist/),
          }),
          expect.objectContaining({
            seq: 4,
            reason: 'image_changed',
            message: expect.stringMatching(/changed since it was indexed/),
          }),
        ]);
        const back = await readBack(r.folder);
        expect(back.records.map((x) => x.caption)).toEqual(
          KEPT.filter((i) => i !== 2 && i !== 4).map((i) => b.captions[i]),
        );
      }
    } finally {
      await ws2.close();
    }
  });

  it('a file rewritten in place with the same size (new mtime) is skipped, never exported with other bytes', async () => {
    const ws2 = workspace('tldr-export-edit-');
    try {
      const b = await buildFolderDataset(path.join(ws2.data, 'folder'), N);
      const d = await indexDataset(ws2.ctx, b.root);
      const stored = ws2.ctx.db
        .prepare(`SELECT COUNT(*) AS n FROM pairs WHERE dataset_id = ? AND mtime_ms IS NOT NULL`)
        .get(d.id) as { n: number };
      expect(stored.n).toBe(N); // the index keeps each file's mtime
      const rid = makeRun(ws2.ctx, d.id, N, KEPT);
      const file = path.join(b.root, 'images', 'img_6.jpg');
      const edited = Buffer.from(readFileSync(file));
      for (let i = edited.length - 40; i < edited.length - 8; i++) edited[i] = edited[i]! ^ 0xff;
      writeFileSync(file, edited); // same size, other bytes
      const later = new Date(statSync(file).mtimeMs + 5000);
      utimesSync(file, later, later); // a coarse-clock file system still sees a new mtime
      const touched = path.join(b.root, 'images', 'img_9.jpg');
      const keep = statSync(touched);
      writeFileSync(touched, readFileSync(touched)); // rewritten with the same bytes…
      utimesSync(touched, keep.atime, keep.mtime); // …and its mtime put back: not a change
      for (const format of ['webdataset', 'blip-json'] as const) {
        const r = await exportRun({ db: ws2.ctx.db, workspace: ws2.ctx.workspace, runId: rid, format });
        expect(r.written).toBe(KEPT.length - 1);
        expect(r.skippedByReason).toEqual({ image_changed: 1 });
        const skipped = JSON.parse(readFileSync(path.join(r.folder, 'skipped.jsonl'), 'utf8').trim()) as {
          seq: number;
          message: string;
        };
        expect(skipped.seq).toBe(6);
        expect(skipped.message).toMatch(
          /images\/img_6\.jpg was modified at .*, after it was indexed .*its size is the same.*re-index/,
        );
        const back = await readBack(r.folder);
        expect(back.records.map((x) => x.caption)).toEqual(
          KEPT.filter((i) => i !== 6).map((i) => b.captions[i]),
        );
      }
    } finally {
      await ws2.close();
    }
  });

  it('a tar shard rewritten since indexing: the member header check skips, never a crash', async () => {
    const ws2 = workspace('tldr-export-tar-');
    try {
      const b = await buildWebdatasetDataset(path.join(ws2.data, 'wds'), N, 4);
      const d = await indexDataset(ws2.ctx, b.root);
      const rid = makeRun(ws2.ctx, d.id, N, KEPT);
      // Shift the second shard by one block: every indexed offset now points elsewhere.
      const shard = path.join(b.root, '00001.tar');
      writeFileSync(shard, Buffer.concat([Buffer.alloc(512), readFileSync(shard)]));
      const r = await exportRun({
        db: ws2.ctx.db,
        workspace: ws2.ctx.workspace,
        runId: rid,
        format: 'webdataset',
      });
      const inSecond = KEPT.filter((i) => i >= 4 && i < 8).length;
      expect(r.written).toBe(KEPT.length - inSecond);
      expect(r.skippedByReason).toEqual({ unreadable_image: inSecond });
      expect(r.manifest.counts.skippedExamples[0]!.message).toMatch(/changed since it was indexed/);
    } finally {
      await ws2.close();
    }
  });

  it('when nothing can be written the export fails and leaves nothing', async () => {
    const ws2 = workspace('tldr-export-none-');
    try {
      const b = await buildFolderDataset(path.join(ws2.data, 'folder'), 4);
      const d = await indexDataset(ws2.ctx, b.root);
      const rid = makeRun(ws2.ctx, d.id, 4, [0, 1]);
      rmSync(path.join(b.root, 'images'), { recursive: true });
      const outDir = path.join(ws2.dir, 'out', 'none');
      const e = await rejection(
        exportRun({ db: ws2.ctx.db, workspace: ws2.ctx.workspace, runId: rid, format: 'webdataset', outDir }),
      );
      expect(e.message).toMatch(/none of the 2 kept pairs could be written \(2 missing_image\)/);
      nothingLeft(outDir);
    } finally {
      await ws2.close();
    }
  });
});

describe('as a job', () => {
  it('runs through the job runner with its result, and a cancelled job leaves nothing', async () => {
    const { startExportJob } = await import('../../../main/core/export');
    const done = await ws.ctx.jobs.wait(startExportJob(ws.ctx, { runId: wdsRunId, format: 'uids' }).id);
    expect(done.state).toBe('done');
    expect(done.result).toMatchObject({ format: 'uids', written: KEPT.length, skipped: 0 });
    const outDir = path.join(ws.dir, 'out', 'job-cancel');
    const job = startExportJob(ws.ctx, { runId: wdsRunId, format: 'webdataset', outDir });
    ws.ctx.jobs.cancel(job.id);
    const end = await ws.ctx.jobs.wait(job.id);
    expect(end.state).toBe('cancelled');
    nothingLeft(outDir);
    expect(() => startExportJob(ws.ctx, { runId: 4242, format: 'uids' })).toThrow(/no run with id 4242/);
  });
});
