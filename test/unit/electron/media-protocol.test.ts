// tldr-media:// answers like the server's /media routes.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaResponse } from '../../../main/electron/media-protocol';
import { createMediaAccess, type MediaAccess } from '../../../main/server/media-access';

let dir: string;
let media: MediaAccess;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tldr-media-'));
  for (const d of ['ws', 'ds/images', 'out']) mkdirSync(path.join(dir, d), { recursive: true });
  writeFileSync(path.join(dir, 'ds/images/a.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
  writeFileSync(path.join(dir, 'out/s.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
  symlinkSync(path.join(dir, 'out/s.png'), path.join(dir, 'ds/images/l.png'));
  media = createMediaAccess(async (op) => {
    if (op === 'engine.status') return { workspace: path.join(dir, 'ws') };
    if (op === 'datasets.list') return [{ id: 1, root: path.join(dir, 'ds') }];
    throw Object.assign(new Error('unknown'), { code: 'unknown_operation' });
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fileUrl = (p: string) => `tldr-media://file/?path=${encodeURIComponent(p)}`;

describe('tldr-media://', () => {
  it('serves an image inside a dataset', async () => {
    const r = await mediaResponse(media, fileUrl(path.join(dir, 'ds/images/a.png')));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await r.arrayBuffer()).toString('hex')).toBe('89504e470d0a1a0a');
  });

  it('refuses escapes, symlinks out, other schemes and routes', async () => {
    const bad = [
      fileUrl(`${dir}/ds/images/../../out/s.png`),
      `tldr-media://file/?path=${dir}/ds/%252e%252e/out/s.png`,
      fileUrl(path.join(dir, 'out/s.png')),
      fileUrl(path.join(dir, 'ds/images/l.png')),
      fileUrl('ds/images/a.png'),
      'tldr-media://other/?x=1',
      `file://${dir}/ds/images/a.png`,
    ];
    for (const u of bad) expect([400, 403, 404], u).toContain((await mediaResponse(media, u)).status);
  });
});
