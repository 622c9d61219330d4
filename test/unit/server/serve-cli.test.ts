// `tldr-studio serve` with the real engine process: prints the URL with its token,
// answers operations over HTTP, and shuts the engine down when told to stop.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { registerServe } from '../../../main/cli/serve';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tldr-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tldr-studio serve', () => {
  it('serves the contract until stopped', async () => {
    let stop!: (why: string) => void;
    const stopped = new Promise<string>((r) => (stop = r));
    const program = new Command('tldr-studio')
      .option('-w, --workspace <dir>')
      .option('--json')
      .exitOverride();
    registerServe(program, { stopped: () => stopped });
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const token = 'serve-test-token-0123456789';
    const running = program.parseAsync([
      'node',
      'tldr-studio',
      '-w',
      dir,
      '--json',
      'serve',
      '--port',
      '0',
      '--token',
      token,
    ]);
    try {
      await vi.waitFor(() => expect(out.join('')).toContain('"url"'), { timeout: 60_000, interval: 100 });
      write.mockRestore();
      const printed = JSON.parse(out.join('').trim()) as {
        url: string;
        port: number;
        host: string;
        workspace: string;
      };
      expect(printed.host).toBe('127.0.0.1');
      expect(printed.url).toBe(`http://127.0.0.1:${printed.port}/?token=${token}`);
      expect(printed.workspace).toBe(dir);
      const call = (op: string, input: unknown, auth = `Bearer ${token}`) =>
        fetch(`http://127.0.0.1:${printed.port}/api/${op}`, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/json' },
          body: JSON.stringify(input),
        });
      const status = await call('engine.status', {});
      expect(status.status).toBe(200);
      expect(await status.json()).toMatchObject({ workspace: dir });
      const bad = await call('datasets.info', { datasetId: 0 });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
        /^datasets\.info: datasetId/,
      );
      expect((await call('datasets.info', { datasetId: 42 })).status).toBe(404);
      expect((await call('engine.status', {}, 'Bearer nope')).status).toBe(401);
      stop('test');
      await running;
      await expect(fetch(`http://127.0.0.1:${printed.port}/`)).rejects.toThrow();
    } finally {
      write.mockRestore();
      err.mockRestore();
      stop('cleanup');
    }
  });
});
