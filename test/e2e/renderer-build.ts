// The e2e tests drive the built renderer: build it with Vite (the renderer part of
// electron.vite.config.ts) when out/renderer is missing or older than its sources.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InlineConfig } from 'vite';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RENDERER_OUT = path.join(ROOT, 'out', 'renderer');

const SOURCES = [
  'renderer',
  'main/api',
  'main/server/csp.ts',
  'main/electron/bridge.ts',
  'electron.vite.config.ts',
];

function newestMtime(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

export function rendererIsStale(): boolean {
  const index = path.join(RENDERER_OUT, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return SOURCES.some((s) => existsSync(path.join(ROOT, s)) && newestMtime(path.join(ROOT, s)) > built);
}

const LOCK = path.join(ROOT, 'out', '.renderer-build.lock');
const LOCK_STALE_MS = 10 * 60_000;

/** One build at a time: the e2e files run in parallel workers. */
async function withLock(fn: () => Promise<void>): Promise<void> {
  mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // A crashed run leaves its lock behind: take it over after a while.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > LOCK_STALE_MS)
        rmSync(LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export async function ensureRendererBuilt(): Promise<void> {
  if (!rendererIsStale()) return;
  await withLock(async () => {
    if (!rendererIsStale()) return; // another worker built it meanwhile
    const { build } = await import('vite');
    const config = (await import('../../electron.vite.config')).default as { renderer: InlineConfig };
    await build({
      ...config.renderer,
      configFile: false,
      base: './',
      logLevel: 'warn',
      mode: 'production',
      build: { ...config.renderer.build, emptyOutDir: true },
    });
  });
}
