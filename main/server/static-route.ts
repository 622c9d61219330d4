// The built renderer (out/renderer), with the renderer's CSP on every answer.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { PathEscapeError, resolveInside } from '../core/util/paths';
import { rendererHeaderCsp } from './csp';
import { BASE_HEADERS } from './http-util';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    ...BASE_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Security-Policy': rendererHeaderCsp(),
  });
  res.end(text);
}

async function fileAt(dir: string, rel: string): Promise<string | undefined> {
  const abs = resolveInside(dir, rel);
  try {
    return (await stat(abs)).isFile() ? abs : undefined;
  } catch {
    return undefined;
  }
}

export async function handleStatic(
  rendererDir: string,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    sendText(res, 405, 'method not allowed');
    return;
  }
  let rel: string;
  try {
    rel = decodeURIComponent(url.pathname).replace(/^\/+/, '');
  } catch {
    sendText(res, 400, 'bad path');
    return;
  }
  let file: string | undefined;
  try {
    file = await fileAt(rendererDir, rel || 'index.html');
    // The app routes with the hash, so only extension-less paths fall back to the page.
    if (!file && !path.extname(rel)) file = await fileAt(rendererDir, 'index.html');
  } catch (e) {
    if (e instanceof PathEscapeError) {
      sendText(res, 403, 'forbidden');
      return;
    }
    throw e;
  }
  if (!file) {
    const missingBuild = !(await fileAt(rendererDir, 'index.html').catch(() => undefined));
    sendText(
      res,
      404,
      missingBuild ? `the renderer is not built in ${rendererDir}: run \`npm run build\`` : 'not found',
    );
    return;
  }
  const ext = path.extname(file).toLowerCase();
  const size = (await stat(file)).size;
  res.writeHead(200, {
    ...BASE_HEADERS,
    'Content-Type': TYPES[ext] ?? 'application/octet-stream',
    'Content-Length': size,
    'Content-Security-Policy': rendererHeaderCsp(),
    // Vite names assets by content hash; the page itself must be revalidated.
    'Cache-Control': ext === '.html' ? 'no-cache' : 'private, max-age=31536000, immutable',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}
