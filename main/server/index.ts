// The headless transport: the contract over HTTP on one host (127.0.0.1 unless told
// otherwise), guarded by a token, serving the built renderer too. `tldr-studio serve`
// runs it; the browser end-to-end tests drive it with Chromium.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { EngineClient } from '../engine/client';
import { authenticate, newToken, tokenCookie } from './auth';
import { handleApi } from './api-route';
import { rendererHeaderCsp } from './csp';
import { handleEvents } from './events-route';
import { BASE_HEADERS, sendError } from './http-util';
import { createMediaAccess, type CallFn } from './media-access';
import { handleMedia } from './media-route';
import { handleStatic } from './static-route';

export interface ServerOptions {
  workspace: string;
  /** Interface to bind. Anything but loopback exposes the workspace to the network. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** A random one unless given. */
  token?: string;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** An engine to use instead of spawning one (tests); it is not closed by close(). */
  client?: EngineClient;
}

export interface RunningServer {
  /** Opens the app: carries the token, which the first page load turns into a cookie. */
  url: string;
  host: string;
  port: number;
  token: string;
  client: EngineClient;
  /** Stops listening, ends event streams, and shuts a spawned engine down (jobs checkpoint). */
  close(): Promise<void>;
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function unauthorized(res: ServerResponse, req: IncomingMessage, status: number, message: string): void {
  const wantsPage = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
  if (!wantsPage) {
    sendError(res, status, { code: status === 401 ? 'unauthorized' : 'forbidden', message });
    return;
  }
  res.writeHead(status, {
    ...BASE_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': rendererHeaderCsp(),
  });
  res.end(
    `<!doctype html><meta charset="utf-8"><title>TL;DR Studio</title><h1>Token required</h1>` +
      `<p>${message.replace(/[<>&]/g, '')}. Open the full URL that <code>tldr-studio serve</code> printed (it ends with <code>?token=…</code>).</p>`,
  );
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? newToken();
  if (token.length < 16) throw new Error('the token must be at least 16 characters');
  const rendererDir = path.resolve(opts.rendererDir);
  const owned = !opts.client;
  // Imported lazily: the client module pulls in the in-process engine as well.
  const client = opts.client ?? (await (await import('../engine/client')).spawnEngine(opts.workspace));
  const call = client.call.bind(client) as unknown as CallFn;
  const media = createMediaAccess(call);
  const streams = new Set<() => void>();
  let port = 0;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = req.url ?? '/';
    if (!raw.startsWith('/')) {
      sendError(res, 400, { code: 'invalid_input', message: 'bad request target' });
      return;
    }
    const url = new URL(raw, 'http://localhost');
    const auth = authenticate(req, url, token, port);
    if (!auth.ok) {
      unauthorized(res, req, auth.status, auth.message);
      return;
    }
    const p = url.pathname;
    if (p === '/api/events') {
      if (req.method !== 'GET') {
        sendError(res, 405, { code: 'invalid_input', message: 'events take GET' });
        return;
      }
      const end = handleEvents((cb) => client.onEvent(cb), req, res);
      streams.add(end);
      req.on('close', () => streams.delete(end));
      return;
    }
    if (p.startsWith('/api/')) return handleApi(call, p.slice('/api/'.length), req, res);
    if (p.startsWith('/media/')) return handleMedia(media, p.slice('/media/'.length), req, res, url);
    if (auth.via === 'query' && req.method === 'GET') {
      // First page load: keep the token in an HttpOnly cookie and drop it from the address bar.
      url.searchParams.delete('token');
      res.writeHead(303, {
        ...BASE_HEADERS,
        'Set-Cookie': tokenCookie(port, token),
        Location: url.pathname + url.search,
      });
      res.end();
      return;
    }
    return handleStatic(rendererDir, req, res, url);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      sendError(res, 500, { code: 'failed', message: e instanceof Error ? e.message : String(e) });
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    if (owned) await client.close();
    throw e;
  }
  port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${port}/?token=${encodeURIComponent(token)}`,
    host,
    port,
    token,
    client,
    close() {
      closing ??= (async () => {
        for (const end of streams) end();
        streams.clear();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        if (owned) await client.close();
      })();
      return closing;
    },
  };
}
