// A stand-in for the model hub on 127.0.0.1: serves files under /<repo>/resolve/<rev>/<path>
// with Range support, and can cut a transfer halfway or fail a file, to test downloads.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface HubRequest {
  path: string;
  range?: string;
}

export interface HubServer {
  endpoint: string;
  requests: HubRequest[];
  /** Paths whose next transfer is cut after half of the bytes. */
  interruptOnce: Set<string>;
  /** Paths answered with HTTP 500. */
  failing: Set<string>;
  close(): Promise<void>;
}

/** Every file under `dir`, '/'-separated, with its bytes. */
export function folderFiles(dir: string, base = dir): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) for (const [k, v] of folderFiles(p, base)) out.set(k, v);
    else out.set(path.relative(base, p).split(path.sep).join('/'), readFileSync(p));
  }
  return out;
}

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

export async function startHub(repo: string, files: Map<string, Buffer>): Promise<HubServer> {
  const requests: HubRequest[] = [];
  const interruptOnce = new Set<string>();
  const failing = new Set<string>();
  const prefix = `/${repo}/resolve/`;
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(req.url ?? '');
    const rest = url.startsWith(prefix) ? url.slice(prefix.length) : '';
    const file = rest.slice(rest.indexOf('/') + 1);
    const range = req.headers.range;
    requests.push(range ? { path: file, range } : { path: file });
    const body = files.get(file);
    if (!body || failing.has(file)) {
      res.writeHead(body ? 500 : 404).end();
      return;
    }
    let start = 0;
    const m = range ? /^bytes=(\d+)-$/.exec(range) : null;
    if (m) {
      start = Number(m[1]);
      if (start >= body.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
        return;
      }
      res.writeHead(206, {
        'Content-Length': body.length - start,
        'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}`,
        'Accept-Ranges': 'bytes',
      });
    } else {
      res.writeHead(200, { 'Content-Length': body.length, 'Accept-Ranges': 'bytes' });
    }
    const slice = body.subarray(start);
    if (interruptOnce.delete(file)) {
      res.write(slice.subarray(0, Math.floor(slice.length / 2)), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    res.end(slice);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    interruptOnce,
    failing,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
