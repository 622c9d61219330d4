// The command line as a user meets it: exit codes, --json output, clear messages, and the
// real image-caption data in ../shared/data indexed with the counts its SOURCE.md gives.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, sharedData, tempDir } from '../helpers/tmp';

const CLI = path.join(repoRoot, 'bin', 'tldr-studio.mjs');
const LLAVA = path.join(sharedData, 'llava-pretrain-2k');

function cli(workspace: string, args: string[]) {
  const r = spawnSync(process.execPath, [CLI, '--workspace', workspace, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('tldr-studio CLI', () => {
  const t = tempDir('tldr-cli-');
  afterAll(() => t.cleanup());
  const ws = path.join(t.dir, 'ws');

  it('exits 2 with a message for a path that does not exist', () => {
    const r = cli(ws, ['--json', 'index', path.join(t.dir, 'nope')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not exist/);
    expect(JSON.parse(r.stdout).error.exitCode).toBe(2);
  });

  it('exits 3 and says what it saw for a folder that is not a dataset', () => {
    const dir = path.join(t.dir, 'notes');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'todo.md'), '# nothing to see\n');
    writeFileSync(path.join(dir, 'budget.xlsx'), 'PK\x03\x04');
    const r = cli(ws, ['index', dir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/could not tell which dataset format/);
    expect(r.stderr).toMatch(/seen:/);
  });

  it('exits 2 on bad usage: an unknown format, a bad budget, a bad id', () => {
    expect(cli(ws, ['index', t.dir, '--format', 'pdf']).code).toBe(2);
    expect(cli(ws, ['compress', '1', '--budget', 'lots']).code).toBe(2);
    expect(cli(ws, ['info', 'abc']).code).toBe(2);
    expect(cli(ws, ['compare']).code).toBe(2);
  });

  it('reports an unknown dataset clearly', () => {
    const r = cli(ws, ['info', '99']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no dataset with id 99/);
  });

  describe.skipIf(!existsSync(LLAVA))('on ../shared/data/llava-pretrain-2k (skipped: data absent)', () => {
    it('detects, indexes in place and reports the counts of SOURCE.md', () => {
      const r = cli(ws, ['--json', '--quiet', 'index', LLAVA]);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      // SOURCE.md: 2,183 images, 2,183 pairs (one caption each), all decode.
      expect(out).toMatchObject({
        format: 'table',
        pairs: 2183,
        images: 2183,
        ok: 2183,
        errorTotal: 0,
        errors: {},
      });
      const info = JSON.parse(cli(ws, ['--json', 'info', String(out.datasetId)]).stdout);
      expect(info.imageWidth.edges[0]).toBe(336);
      expect(info.imageHeight.edges[0]).toBe(336);
      expect(info.imageWidth.edges.at(-1)).toBeGreaterThanOrEqual(1052);
      // Caption length 2–21 words: every caption falls in the histogram's range.
      expect(info.captionWords.edges[0]).toBe(2);
      expect(info.captionWords.edges.at(-1)).toBeGreaterThanOrEqual(21);
      const list = JSON.parse(cli(ws, ['--json', 'info']).stdout);
      expect(list.datasets.map((d: { root: string }) => d.root)).toContain(LLAVA);
    });
  });
});
