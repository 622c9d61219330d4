// Every route refuses a request without the token, or with a wrong one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, makeFixture, raw, TOKEN, type Fixture } from './harness';

let f: Fixture;
beforeAll(async () => {
  f = await makeFixture();
});
afterAll(async () => {
  await f.close();
});

const targets = (f: Fixture) => [
  ['POST', '/api/engine.status'],
  ['GET', '/api/events'],
  ['GET', '/'],
  ['GET', '/assets/app.js'],
  ['GET', '/media/thumb?dataset=1&seq=0'],
  ['GET', `/media/file?path=${encodeURIComponent(`${f.dataset}/images/a.jpg`)}`],
];

describe('token', () => {
  it('refuses every route without a token (401)', async () => {
    for (const [method, target] of targets(f)) {
      const r = await raw(f.server.port, method!, target!);
      expect(r.status, `${method} ${target}`).toBe(401);
    }
  });

  it('refuses a wrong token as bearer, query or cookie (401)', async () => {
    const port = f.server.port;
    for (const [method, target] of targets(f)) {
      const sep = target!.includes('?') ? '&' : '?';
      const variants = [
        raw(port, method!, target!, { authorization: 'Bearer wrong-token-0123456789abcdef' }),
        raw(port, method!, target!, { authorization: `Basic ${TOKEN}` }),
        raw(port, method!, `${target}${sep}token=nope`),
        raw(port, method!, target!, { cookie: `tldr_token_${port}=nope` }),
        // The cookie of another server on another port does not count.
        raw(port, method!, target!, { cookie: `tldr_token_${port + 1}=${TOKEN}` }),
      ];
      for (const r of await Promise.all(variants)) expect(r.status, `${method} ${target}`).toBe(401);
    }
  });

  it('tells a browser without the token what to open', async () => {
    const r = await raw(f.server.port, 'GET', '/', { accept: 'text/html' });
    expect(r.status).toBe(401);
    expect(r.text).toContain('tldr-studio serve');
  });

  it('turns ?token= on the first page load into an HttpOnly SameSite=Strict cookie', async () => {
    const port = f.server.port;
    expect(f.server.url).toBe(`http://127.0.0.1:${port}/?token=${TOKEN}`);
    const r = await raw(port, 'GET', `/?token=${TOKEN}`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toContain(`tldr_token_${port}=${TOKEN}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const jar = { cookie: `tldr_token_${port}=${TOKEN}` };
    expect((await raw(port, 'GET', '/', jar)).status).toBe(200);
    expect(
      (await raw(port, 'POST', '/api/engine.status', { ...jar, 'sec-fetch-site': 'same-origin' })).status,
    ).toBe(200);
  });

  it('refuses the cookie on requests another site or local port makes', async () => {
    const port = f.server.port;
    const jar = { cookie: `tldr_token_${port}=${TOKEN}` };
    for (const site of ['cross-site', 'same-site']) {
      const r = await raw(port, 'POST', '/api/engine.status', { ...jar, 'sec-fetch-site': site });
      expect(r.status).toBe(403);
    }
  });

  it('accepts the bearer token everywhere', async () => {
    for (const [method, target] of targets(f)) {
      if (target === '/api/events') continue; // a stream: covered in api.test.ts
      const r = await raw(f.server.port, method!, target!, bearer);
      expect(r.status, `${method} ${target}`).toBe(200);
    }
  });
});
