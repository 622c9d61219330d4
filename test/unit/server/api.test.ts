// The contract over HTTP: round trip, status codes, contract messages, events, static files.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInput } from '../../../main/api/contract';
import { bearer, makeFixture, raw, type Fixture } from './harness';

let f: Fixture;
beforeAll(async () => {
  f = await makeFixture();
});
afterAll(async () => {
  await f.close();
});

const json = { ...bearer, 'content-type': 'application/json' };

describe('POST /api/<op>', () => {
  it('round-trips an operation', async () => {
    const r = await raw(f.server.port, 'POST', '/api/engine.status', json, '{}');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('application/json');
    expect(r.json()).toMatchObject({ version: '0.0.0', workspace: f.workspace });
  });

  it('sends the input through, defaults filled in by the contract', async () => {
    const r = await raw(
      f.server.port,
      'POST',
      '/api/datasets.pairs',
      json,
      JSON.stringify({ datasetId: 1, limit: 2 }),
    );
    expect(r.status).toBe(200);
    expect((r.json() as { items: unknown[] }).items).toHaveLength(2);
    expect(f.engine.calls.at(-1)).toEqual({ op: 'datasets.pairs', input: { datasetId: 1, limit: 2 } });
  });

  it('answers invalid input with 400 and the contract’s message', async () => {
    const input = { datasetId: -3 };
    let expected = '';
    try {
      parseInput('datasets.info', input);
    } catch (e) {
      expected = (e as Error).message;
    }
    expect(expected).toContain('datasetId');
    const r = await raw(f.server.port, 'POST', '/api/datasets.info', json, JSON.stringify(input));
    expect(r.status).toBe(400);
    expect(r.json()).toMatchObject({ error: { code: 'invalid_input', message: expected } });
  });

  it('maps not_found to 404 and unknown operations to 404', async () => {
    const a = await raw(f.server.port, 'POST', '/api/datasets.info', json, '{"datasetId":99}');
    expect(a.status).toBe(404);
    expect(a.json()).toMatchObject({ error: { code: 'not_found', message: 'no dataset with id 99' } });
    const b = await raw(f.server.port, 'POST', '/api/no.such', json, '{}');
    expect(b.status).toBe(404);
    expect(b.json()).toMatchObject({ error: { code: 'unknown_operation' } });
    const c = await raw(f.server.port, 'POST', '/api/toString', json, '{}');
    expect(c.status).toBe(404);
  });

  it('maps an engine failure to 500', async () => {
    f.engine.handlers['jobs.list'] = () => {
      throw new Error('disk full');
    };
    const r = await raw(f.server.port, 'POST', '/api/jobs.list', json, '{}');
    expect(r.status).toBe(500);
    expect(r.json()).toMatchObject({ error: { code: 'failed', message: 'disk full' } });
  });

  it('refuses bad JSON, non-JSON bodies and GET', async () => {
    expect((await raw(f.server.port, 'POST', '/api/engine.status', json, '{oops')).status).toBe(400);
    expect(
      (
        await raw(
          f.server.port,
          'POST',
          '/api/engine.status',
          { ...bearer, 'content-type': 'text/plain' },
          '{}',
        )
      ).status,
    ).toBe(415);
    expect((await raw(f.server.port, 'GET', '/api/engine.status', bearer)).status).toBe(405);
  });
});

describe('GET /api/events', () => {
  it('streams engine events as server-sent events', async () => {
    const got = await new Promise<string>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: f.server.port, path: '/api/events', headers: bearer },
        (res) => {
          expect(res.statusCode).toBe(200);
          expect(res.headers['content-type']).toContain('text/event-stream');
          let buf = '';
          res.on('data', (c: Buffer) => {
            buf += c.toString('utf8');
            if (buf.includes('retry:') && !buf.includes('data:')) {
              f.engine.emit({ type: 'log', level: 'info', message: 'hello' });
            }
            if (buf.includes('\n\ndata:') && buf.endsWith('\n\n')) {
              req.destroy();
              resolve(buf);
            }
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    const line = got.split('\n').find((l) => l.startsWith('data:'));
    expect(JSON.parse(line!.slice(5))).toEqual({ type: 'log', level: 'info', message: 'hello' });
  });
});

describe('static renderer', () => {
  it('serves the page with a strict CSP', async () => {
    const r = await raw(f.server.port, 'GET', '/', bearer);
    expect(r.status).toBe(200);
    expect(r.text).toContain('<title>t</title>');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    const js = await raw(f.server.port, 'GET', '/assets/app.js', bearer);
    expect(js.headers['content-type']).toContain('text/javascript');
  });

  it('never leaves the renderer folder', async () => {
    for (const target of [
      '/../harness.ts',
      '/assets/../../outside/secret.jpg',
      '/%2e%2e/outside/secret.jpg',
      '/..%2f..%2fetc%2fpasswd',
    ]) {
      const r = await raw(f.server.port, 'GET', target, bearer);
      expect([403, 404], target).toContain(r.status);
      expect(r.body.subarray(0, 3).toString('hex')).not.toBe('ffd8ff');
    }
  });
});
