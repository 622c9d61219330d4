// The engine killed with SIGKILL half-way through an ingest, then the same command run
// again: the index ends row for row equal to one clean run (no duplicates, no losses).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticWebdataset } from '../fixtures/dataset/synthetic-webdataset';
import { repoRoot, tempDir } from '../helpers/tmp';

const CLI = path.join(repoRoot, 'bin', 'tldr-studio.mjs');
const SAMPLES = 40_000;

function cli(workspace: string, args: string[]) {
  return spawnSync(process.execPath, [CLI, '--workspace', workspace, '--json', '--quiet', ...args], {
    encoding: 'utf8',
  });
}

function snapshot(workspace: string) {
  const db = new Database(path.join(workspace, 'tldr-studio.db'), { readonly: true });
  try {
    return {
      pairs: db
        .prepare(
          `SELECT seq, key, image_key, image_kind, image_path, image_offset, image_size, caption, width, height, bytes, hash, uid, status, error_kind FROM pairs ORDER BY seq`,
        )
        .all(),
      words: db.prepare(`SELECT word, count FROM word_counts ORDER BY word`).all(),
    };
  } finally {
    db.close();
  }
}

function countPairs(workspace: string): number {
  try {
    const db = new Database(path.join(workspace, 'tldr-studio.db'), { readonly: true, fileMustExist: true });
    try {
      return (db.prepare(`SELECT COUNT(*) AS n FROM pairs`).get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created yet, or the schema is being written
  }
}

describe('ingest survives SIGKILL', () => {
  const t = tempDir('tldr-kill-');
  const data = path.join(t.dir, 'shards');
  beforeAll(async () => {
    await writeSyntheticWebdataset(data, { samples: SAMPLES, perShard: 2000, imageBytes: 2000 });
  });
  afterAll(() => t.cleanup());

  it('a resumed index equals a clean one, row for row', async () => {
    const clean = path.join(t.dir, 'ws-clean');
    const r0 = cli(clean, ['index', data]);
    expect(r0.status, r0.stderr).toBe(0);
    expect(JSON.parse(r0.stdout)).toMatchObject({ pairs: SAMPLES, ok: SAMPLES, format: 'webdataset' });

    const killed = path.join(t.dir, 'ws-killed');
    // Own process group, so the kill takes the CLI and its engine process together.
    const child = spawn(process.execPath, [CLI, '--workspace', killed, '--quiet', 'index', data], {
      detached: true,
      stdio: 'ignore',
    });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    let seen = 0;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      seen = countPairs(killed);
      if (seen >= 4000) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    const atKill = countPairs(killed);
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(SAMPLES); // really half-way

    const r1 = cli(killed, ['index', data]);
    expect(r1.status, r1.stderr).toBe(0);
    const out = JSON.parse(r1.stdout) as { pairs: number; added: number };
    expect(out.pairs).toBe(SAMPLES);
    expect(out.added).toBe(SAMPLES - atKill); // nothing committed twice, nothing skipped
    expect(snapshot(killed)).toEqual(snapshot(clean));

    // And once more: a finished index is not touched.
    const r2 = cli(killed, ['index', data]);
    expect(JSON.parse(r2.stdout)).toMatchObject({ pairs: SAMPLES, added: 0 });
  });
});
