// A server on a temp workspace with a stand-in engine that validates at the real
// contract, a small dataset folder, a file outside it and a symlink leading out.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { ApiError, contract, parseInput, type EngineEvent } from '../../../main/api/contract';
import type { DatasetDto, PairDto } from '../../../main/api/schemas';
import type { EngineClient } from '../../../main/engine/client';
import { startServer, type RunningServer } from '../../../main/server';

export const TOKEN = 'test-token-0123456789abcdef';

type FakeHandler = (input: Record<string, unknown>) => unknown;

export interface FakeEngine extends EngineClient {
  emit(e: EngineEvent): void;
  handlers: Record<string, FakeHandler>;
  calls: { op: string; input: unknown }[];
}

/** Checks inputs with the contract's own parser, so error messages are the contract's. */
export function fakeEngine(handlers: Record<string, FakeHandler>): FakeEngine {
  const listeners = new Set<(e: EngineEvent) => void>();
  const calls: { op: string; input: unknown }[] = [];
  return {
    handlers,
    calls,
    async call(op: string, input: unknown) {
      calls.push({ op, input });
      const parsed = Object.hasOwn(contract, op) ? parseInput(op, input) : input;
      const h = handlers[op];
      if (!h) throw new ApiError('unknown_operation', `unknown operation "${op}"`);
      return (await h(parsed as Record<string, unknown>)) as never;
    },
    onEvent(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    emit(e) {
      for (const l of listeners) l(e);
    },
    async close() {},
  } as FakeEngine;
}

export interface Fixture {
  dir: string;
  workspace: string;
  dataset: string;
  outside: string;
  renderer: string;
  engine: FakeEngine;
  server: RunningServer;
  close(): Promise<void>;
}

function pair(seq: number, rel: string): PairDto {
  return {
    id: seq + 1,
    seq,
    key: `k${seq}`,
    imageKey: `k${seq}`,
    image: { kind: 'file', path: rel },
    caption: `caption ${seq}`,
    width: 8,
    height: 8,
    bytes: 100,
    status: 'ok',
    errorKind: null,
    error: null,
  };
}

export async function jpeg(): Promise<Buffer> {
  return sharp({ create: { width: 8, height: 8, channels: 3, background: '#c33' } })
    .jpeg()
    .toBuffer();
}

export async function makeFixture(extra: Record<string, FakeHandler> = {}): Promise<Fixture> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tldr-server-'));
  const workspace = path.join(dir, 'workspace');
  const dataset = path.join(dir, 'dataset');
  const outside = path.join(dir, 'outside');
  const renderer = path.join(dir, 'renderer');
  for (const d of [
    workspace,
    path.join(dataset, 'images'),
    outside,
    path.join(renderer, 'assets'),
    path.join(workspace, 'cache'),
  ]) {
    mkdirSync(d, { recursive: true });
  }
  const img = await jpeg();
  writeFileSync(path.join(dataset, 'images', 'a.jpg'), img);
  writeFileSync(path.join(outside, 'secret.jpg'), img);
  writeFileSync(path.join(workspace, 'cache', 't.webp'), img);
  symlinkSync(path.join(outside, 'secret.jpg'), path.join(dataset, 'images', 'link.jpg'));
  writeFileSync(
    path.join(renderer, 'index.html'),
    '<!doctype html><title>t</title><script type="module" src="./assets/app.js"></script>',
  );
  writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log(1)');
  const ds: DatasetDto = {
    id: 1,
    name: 'd',
    root: dataset,
    format: 'folder',
    state: 'ready',
    createdAt: '2025-01-01T00:00:00Z',
    indexedAt: '2025-01-01T00:00:00Z',
    pairs: 3,
  };
  const pairs = [pair(0, 'images/a.jpg'), pair(1, '../outside/secret.jpg'), pair(2, 'images/link.jpg')];
  const engine = fakeEngine({
    'engine.status': () => ({ version: '0.0.0', workspace, node: process.version }),
    'datasets.list': () => [ds],
    'datasets.info': (i) => {
      throw new ApiError('not_found', `no dataset with id ${String(i.datasetId)}`);
    },
    'datasets.pairs': (i) => {
      const off = Number(i.offset);
      return { total: pairs.length, items: pairs.slice(off, off + Number(i.limit)) };
    },
    ...extra,
  });
  const server = await startServer({ workspace, rendererDir: renderer, token: TOKEN, client: engine });
  return {
    dir,
    workspace,
    dataset,
    outside,
    renderer,
    engine,
    server,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  json(): unknown;
}

/** A request with the target sent byte for byte (fetch would normalise `..` away). */
export function raw(
  port: number,
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path: target, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const b = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: b,
          text: b.toString('utf8'),
          json: () => JSON.parse(b.toString('utf8')) as unknown,
        });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

export const bearer = { authorization: `Bearer ${TOKEN}` };
