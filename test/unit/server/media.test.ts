// Media routes read only inside the indexed dataset folders and the workspace.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../main/api/contract';
import { bearer, makeFixture, raw, type Fixture } from './harness';

let f: Fixture;
beforeAll(async () => {
  f = await makeFixture();
});
afterAll(async () => {
  await f.close();
});

const file = (p: string) => raw(f.server.port, 'GET', `/media/file?path=${p}`, bearer);

describe('GET /media/file', () => {
  it('serves an image inside a dataset folder and inside the workspace', async () => {
    const a = await file(encodeURIComponent(path.join(f.dataset, 'images', 'a.jpg')));
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toBe('image/jpeg');
    expect(a.headers['content-security-policy']).toContain('sandbox');
    expect(a.body.subarray(0, 3).toString('hex')).toBe('ffd8ff');
    const w = await file(encodeURIComponent(path.join(f.workspace, 'cache', 't.webp')));
    expect(w.status).toBe(200);
  });

  it('refuses ../ in every spelling', async () => {
    const escape = `${f.dataset}/images/../../outside/secret.jpg`;
    const cases = [
      encodeURIComponent(escape), // ../ decoded once by the query parser
      escape, // raw ../ in the query
      `${f.dataset}/images/%2e%2e%2f%2e%2e%2foutside%2fsecret.jpg`, // %2e%2e%2f
      `${f.dataset}/images/%2E%2E/%2E%2E/outside/secret.jpg`,
      encodeURIComponent(`${f.dataset}/images/%2e%2e%2f%2e%2e%2foutside/secret.jpg`), // double-encoded
      `${f.dataset}/images/%252e%252e%252f%252e%252e%252foutside/secret.jpg`,
      encodeURIComponent(`${f.dataset}\\..\\..\\outside\\secret.jpg`),
    ];
    for (const c of cases) {
      const r = await file(c);
      expect([400, 403], c).toContain(r.status);
      expect(r.body.subarray(0, 3).toString('hex'), c).not.toBe('ffd8ff');
    }
  });

  it('refuses absolute paths elsewhere, relative paths and non-images', async () => {
    expect((await file(encodeURIComponent(path.join(f.outside, 'secret.jpg')))).status).toBe(403);
    expect((await file(encodeURIComponent('/etc/passwd'))).status).toBe(403);
    expect((await file('images/a.jpg')).status).toBe(400);
    expect((await file('')).status).toBe(400);
    expect((await file(encodeURIComponent(path.join(f.dataset, 'nope.jpg')))).status).toBe(404);
    expect((await file(encodeURIComponent(path.join(f.workspace, 'tldr-studio.db')))).status).toBe(415);
  });

  it('refuses a symlink that leaves the dataset', async () => {
    const r = await file(encodeURIComponent(path.join(f.dataset, 'images', 'link.jpg')));
    expect(r.status).toBe(403);
  });
});

describe('GET /media/thumb', () => {
  const thumb = (q: string) => raw(f.server.port, 'GET', `/media/thumb?${q}`, bearer);

  it('checks its parameters', async () => {
    expect((await thumb('seq=0')).status).toBe(400);
    expect((await thumb('dataset=1&seq=-1')).status).toBe(400);
    expect((await thumb('dataset=1&seq=0&size=99999')).status).toBe(400);
    expect((await thumb('dataset=x&seq=0')).status).toBe(400);
  });

  it('falls back to the original file while the engine has no media.thumbnail', async () => {
    const r = await thumb('dataset=1&seq=0');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('image/jpeg');
    expect((await thumb('dataset=1&seq=9')).status).toBe(404);
  });

  it('refuses an indexed path or a symlink that leaves the dataset', async () => {
    expect((await thumb('dataset=1&seq=1')).status).toBe(403);
    expect((await thumb('dataset=1&seq=2')).status).toBe(403);
  });

  it('serves what media.thumbnail answers, only from the workspace', async () => {
    f.engine.handlers['media.thumbnail'] = (i) => {
      if (i.seq === 5) throw new ApiError('not_found', 'no pair 5');
      return {
        path: i.seq === 0 ? path.join(f.workspace, 'cache', 't.webp') : path.join(f.outside, 'secret.jpg'),
      };
    };
    try {
      const ok = await thumb('dataset=1&seq=0&size=128');
      expect(ok.status).toBe(200);
      expect(ok.headers['content-type']).toBe('image/webp');
      expect(f.engine.calls.at(-1)).toEqual({
        op: 'media.thumbnail',
        input: { datasetId: 1, seq: 0, size: 128 },
      });
      expect((await thumb('dataset=1&seq=1')).status).toBe(403); // not a workspace file
      expect((await thumb('dataset=1&seq=5')).status).toBe(404);
    } finally {
      delete f.engine.handlers['media.thumbnail'];
    }
  });
});
