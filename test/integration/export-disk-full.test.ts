// The disk filling up during an export: a clear error saying the disk is full, how much
// had been written, about how much the export needs, how much is free and where — and
// nothing left behind. Two ways to fill a disk:
//   - a real 2 MiB tmpfs mounted for the test (needs root and a sandbox that allows
//     `mount`; skipped, with the reason, where mounting is refused);
//   - the engine's fault seam (TLDR_FAULT_EXPORT_ENOSPC_AFTER, see fault-io.ts) through
//     the CLI, so the message the user reads is checked end to end on any machine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statfsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCore, openCore, type CoreContext } from '../../main/core/context';
import { exportRun, ExportError } from '../../main/core/export';
import { ENOSPC_AFTER_ENV } from '../../main/core/export/fault-io';
import { writeSyntheticWebdataset } from '../fixtures/dataset/synthetic-webdataset';
import { repoRoot, tempDir } from '../helpers/tmp';
import { indexDataset, makeRun } from '../unit/export/fixtures';

const CLI = path.join(repoRoot, 'bin', 'tldr-studio.mjs');
const SAMPLES = 1000;
const IMAGE_BYTES = 4000; // ≈ 4 MiB of images: twice the small disk
const MiB = 1024 * 1024;

/** "1.50 MiB" → bytes (the inverse of formatBytes, to check the figures in a message). */
function parseBytes(s: string): number {
  const m = /^([\d.]+) (bytes|KiB|MiB|GiB)$/.exec(s);
  if (!m) throw new Error(`not a size: ${s}`);
  return Number(m[1]) * { bytes: 1, KiB: 1024, MiB, GiB: 1024 * MiB }[m[2] as 'bytes'];
}

const FIGURES =
  /^the disk is full: writing (\d{5}\.tar) in (.+) failed \((.+) had been written, the export needs about (.+), (.+) is free there now\); nothing was left behind\. Free some space/;

describe('a full disk during an export', () => {
  const t = tempDir('tldr-diskfull-');
  const ws = path.join(t.dir, 'ws');
  let ctx: CoreContext;
  let runId: number;
  let imageBytes = 0;

  beforeAll(async () => {
    const data = path.join(t.dir, 'shards');
    await writeSyntheticWebdataset(data, { samples: SAMPLES, perShard: 250, imageBytes: IMAGE_BYTES });
    ctx = openCore(ws);
    const d = await indexDataset(ctx, data);
    runId = makeRun(
      ctx,
      d.id,
      SAMPLES,
      Array.from({ length: SAMPLES }, (_, i) => i),
    );
    imageBytes = (ctx.db.prepare(`SELECT SUM(bytes) AS b FROM pairs`).get() as { b: number }).b;
  }, 120_000);
  afterAll(async () => {
    await closeCore(ctx);
    t.cleanup();
  });

  it('on a real 2 MiB file system: clear error with the figures, and the disk is empty again', async (tc) => {
    const mnt = path.join(t.dir, 'small-disk');
    mkdirSync(mnt);
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mnt], { encoding: 'utf8' });
    if (m.status !== 0) {
      tc.skip(`mount -t tmpfs was refused here (${(m.stderr || m.error?.message || '').trim()})`);
      return;
    }
    try {
      const total = statfsSync(mnt).blocks * statfsSync(mnt).bsize;
      expect(total).toBe(2 * MiB);
      const outDir = path.join(mnt, 'export');
      let err: unknown;
      await exportRun({
        db: ctx.db,
        workspace: ws,
        runId,
        format: 'webdataset',
        outDir,
        shardSize: 250,
      }).catch((e: unknown) => (err = e));
      expect(err).toBeInstanceOf(ExportError);
      const e = err as ExportError;
      expect(e.kind).toBe('disk_full');
      const f = FIGURES.exec(e.message);
      expect(f, e.message).not.toBeNull();
      expect(f![2]).toBe(outDir);
      // Written: what the file system took before refusing (the first 1 MiB shard and more).
      expect(parseBytes(f![3]!)).toBeGreaterThan(1 * MiB);
      expect(parseBytes(f![3]!)).toBeLessThanOrEqual(2 * MiB);
      // Needed: the images plus tar headers and text, about twice the disk.
      expect(parseBytes(f![4]!)).toBeCloseTo(imageBytes + 1536 * SAMPLES, -5);
      // Free after the clean-up: the whole disk again.
      expect(parseBytes(f![5]!)).toBe(2 * MiB);
      expect(readdirSync(mnt)).toEqual([]);
      expect(statfsSync(mnt).bfree).toBe(statfsSync(mnt).blocks);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });

  it('through the CLI (fault seam): exit 1, the message with the figures, nothing left', () => {
    const outDir = path.join(t.dir, 'out', 'wds');
    const limit = Math.round(2.5 * MiB);
    const r = spawnSync(
      process.execPath,
      [
        CLI,
        '--workspace',
        ws,
        '--quiet',
        'export',
        String(runId),
        '-f',
        'webdataset',
        '--shard-size',
        '250',
        '-o',
        outDir,
      ],
      { encoding: 'utf8', env: { ...process.env, [ENOSPC_AFTER_ENV]: String(limit) } },
    );
    expect(r.status, r.stderr).toBe(1);
    const line = r.stderr.split('\n').find((l) => l.includes('the disk is full')) ?? '';
    const f = FIGURES.exec(line.replace(/^.*?the disk is full/, 'the disk is full'));
    expect(f, r.stderr).not.toBeNull();
    expect(f![2]).toBe(outDir);
    // Writes are gathered in chunks of up to 1 MiB: what went through is within 1 MiB of the limit.
    expect(parseBytes(f![3]!)).toBeGreaterThan(limit - MiB);
    expect(parseBytes(f![3]!)).toBeLessThanOrEqual(limit);
    expect(parseBytes(f![4]!)).toBeCloseTo(imageBytes + 1536 * SAMPLES, -5);
    expect(existsSync(outDir)).toBe(false);
    expect(readdirSync(path.dirname(outDir))).toEqual([]);
  });
});
