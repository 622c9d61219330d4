// Packaging checks that run without building installers: electron-builder accepts its
// configuration (its own schema validation), asarUnpack covers every native file the
// production dependencies ship, and the production build (`electron-vite build`) loads —
// the main process with a stand-in electron module, the renderer in Chromium.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { minimatch } from 'minimatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, launchChromium } from './browser';
import { ROOT } from './renderer-build';

const require = createRequire(import.meta.url);

interface BuilderConfig {
  asarUnpack?: string[];
  files?: string[];
  [key: string]: unknown;
}

/** electron-builder.yml as electron-builder reads it (its getConfig: yml + package.json). */
async function builderConfig(): Promise<BuilderConfig> {
  const { getConfig } = require('app-builder-lib/out/util/config/config') as {
    getConfig(dir: string, file: string | null, extra: null): Promise<BuilderConfig>;
  };
  return getConfig(ROOT, null, null);
}

async function validate(config: BuilderConfig): Promise<void> {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
    validateConfiguration(c: BuilderConfig, log: unknown): Promise<void>;
  };
  const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  await validateConfiguration(config, new DebugLogger(false));
}

/** Folder of package `name` as Node resolves it from `from` (node_modules lookup upwards). */
function packageDir(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === path.dirname(dir)) return undefined;
  }
}

/** Every installed package the production dependencies pull in (dependencies + optional), by folder. */
function productionPackages(): string[] {
  const seen = new Set<string>();
  const queue: string[] = [ROOT];
  while (queue.length) {
    const dir = queue.shift()!;
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      const found = packageDir(name, dir); // optional ones for other platforms are absent
      if (found && !seen.has(found)) {
        seen.add(found);
        queue.push(found);
      }
    }
  }
  return [...seen];
}

const NATIVE = /(\.node|^libonnxruntime.*\.(so(\.\d+)*|dll|dylib)|\.(so(\.\d+)*|dll|dylib))$/;

/** Native files under `dir`, not descending into nested packages (they are listed themselves). */
function nativeFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') nativeFiles(p, out);
    } else if (NATIVE.test(e.name)) out.push(p);
  }
  return out;
}

describe('electron-builder configuration', () => {
  let config: BuilderConfig;
  beforeAll(async () => {
    config = await builderConfig();
  });

  it('passes electron-builder’s own validation, and the validation catches a typo', async () => {
    await validate(config);
    await expect(validate({ ...config, asarUnpak: config.asarUnpack })).rejects.toThrow(/asarUnpak/);
  });

  it('unpacks every .node addon and shared library the production dependencies ship', () => {
    const patterns = config.asarUnpack ?? [];
    expect(patterns.length).toBeGreaterThan(0);
    const files = productionPackages().flatMap((d) => nativeFiles(d));
    // Paths as electron-builder matches them: relative to the app folder, '/'-separated.
    const rel = files.map((f) => path.relative(ROOT, f).split(path.sep).join('/'));
    const uncovered = rel.filter((f) => !patterns.some((p) => minimatch(f, p, { dot: true })));
    console.info(
      `asarUnpack: ${rel.length} native files in production dependencies, e.g. ${rel
        .filter((f) => /onnxruntime|sqlite|sharp|@img/.test(f))
        .slice(0, 6)
        .join(', ')}`,
    );
    expect(uncovered).toEqual([]);
    // The ones the app cannot run without are among them.
    expect(rel.some((f) => /onnxruntime-node\/bin\/.*\/onnxruntime_binding\.node$/.test(f))).toBe(true);
    expect(rel.some((f) => /libonnxruntime\.so/.test(f) || /onnxruntime\.dll$/.test(f))).toBe(true);
    expect(rel.some((f) => /better_sqlite3\.node$/.test(f))).toBe(true);
    expect(rel.some((f) => /@img\/sharp-.*\.node$/.test(f))).toBe(true);
  });
});

describe('production build', () => {
  let out: string;
  let buildMs = 0;
  beforeAll(() => {
    // Inside the repository, so the built main resolves its external dependencies from
    // node_modules as the packaged app does from its own; a folder of its own, so the e2e
    // tests' out/renderer is never rebuilt under them.
    mkdirSync(path.join(ROOT, 'out'), { recursive: true });
    out = mkdtempSync(path.join(ROOT, 'out', '.packaging-test-'));
    const t0 = Date.now();
    const r = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'),
        'build',
        '--outDir',
        out,
        '--logLevel',
        'warn',
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    buildMs = Date.now() - t0;
    if (r.status !== 0)
      throw new Error(`electron-vite build failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    console.info(`electron-vite build: ${(buildMs / 1000).toFixed(1)} s`);
  });
  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('writes the main process, the engine child, the preload and the renderer', () => {
    for (const f of ['main/index.js', 'main/engine-child.js', 'preload/index.cjs', 'renderer/index.html'])
      expect(existsSync(path.join(out, f)), f).toBe(true);
    // The sandboxed preload cannot require() anything but electron: everything is bundled.
    const preload = readFileSync(path.join(out, 'preload/index.cjs'), 'utf8');
    const requires = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(requires.filter((r) => r !== 'electron')).toEqual([]);
  });

  it('the built main process starts the app against the stand-in electron module', () => {
    // out/main/index.js imports 'electron': a resolve hook answers it with the unit tests'
    // stand-in (test/unit/electron/fake-electron.ts), which records what the app sets up.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tldr-built-main-'));
    try {
      const appPath = path.join(dir, 'app');
      mkdirSync(path.join(appPath, 'build', 'electron-native'), { recursive: true });
      writeFileSync(path.join(appPath, 'build', 'electron-native', 'better_sqlite3.node'), '');
      const standin = path.join(dir, 'electron-standin.mjs');
      writeFileSync(
        standin,
        STANDIN(pathToFileURL(path.join(ROOT, 'test/unit/electron/fake-electron.ts')).href),
      );
      const hooks = `export async function resolve(s, c, next) {
  return s === 'electron' ? { url: ${JSON.stringify(pathToFileURL(standin).href)}, shortCircuit: true } : next(s, c);
}`;
      const script = path.join(dir, 'run.mjs');
      writeFileSync(
        script,
        `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}));
await import(${JSON.stringify(pathToFileURL(path.join(out, 'main/index.js')).href)});
`,
      );
      const r = spawnSync(process.execPath, ['--import', 'tsx', script], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, TLDR_WORKSPACE: path.join(dir, 'ws'), STANDIN_DIR: dir, STANDIN_APP: appPath },
      });
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      const seen = JSON.parse(readFileSync(path.join(dir, 'standin.json'), 'utf8')) as {
        handlers: string[];
        windows: number;
        url: string;
        preload: string;
        engine: string[];
      };
      // As far as it goes without Electron: IPC handlers for the contract, one window on the
      // built renderer with the built preload, the engine forked from the built child entry.
      expect(seen.windows).toBe(1);
      expect(seen.handlers.length).toBeGreaterThan(10);
      expect(seen.url).toMatch(/renderer\/index\.html/);
      expect(seen.preload).toBe(path.join(out, 'preload', 'index.cjs'));
      expect(seen.engine).toEqual([path.join(out, 'main', 'engine-child.js')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!haveChromium)(
    'the built renderer loads in Chromium and fails gracefully without an engine',
    async () => {
      // Electron loads file:// module scripts; plain Chromium only with this flag.
      const browser = await launchChromium(['--allow-file-access-from-files']);
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        await page.goto(pathToFileURL(path.join(out, 'renderer/index.html')).href);
        // No bridge and no server: the app says it cannot reach the engine, and nothing throws.
        await page.locator('#app *').first().waitFor();
        await page.waitForTimeout(500);
        const text = await page.locator('body').innerText();
        expect(text.length).toBeGreaterThan(0);
        expect(errors.filter((e) => !/Failed to load resource|fetch/i.test(e))).toEqual([]);
        console.info(`built renderer without an engine says: ${text.replace(/\s+/g, ' ').slice(0, 160)}`);
      } finally {
        await browser.close();
      }
    },
  );
});

/** The `electron` module the built main process gets: the unit tests' stand-in, reporting once the window loaded. */
const STANDIN = (fakeUrl: string): string => `
import { writeFileSync } from 'node:fs';
import { fakeElectron } from ${JSON.stringify(fakeUrl)};
const f = fakeElectron({ appPath: process.env.STANDIN_APP });
export const { app, ipcMain, protocol, session, BrowserWindow, utilityProcess, MessageChannelMain, Menu, dialog, shell } = f.electron;
export default f.electron;
const started = Date.now();
const timer = setInterval(() => {
  const w = f.windows[0];
  const url = w?.webContents.mainFrame.url ?? 'about:blank';
  if (url !== 'about:blank' && f.children.length > 0) {
    writeFileSync(process.env.STANDIN_DIR + '/standin.json', JSON.stringify({
      handlers: [...f.handlers.keys()],
      windows: f.windows.length,
      url,
      preload: w.options.webPreferences?.preload,
      engine: f.children.map((c) => c.entry),
    }));
    process.exit(0);
  }
  if (Date.now() - started > 60000) { console.error('the app never loaded its window'); process.exit(2); }
}, 50);
// Not unref'd: the app may leave nothing else pending while its window is still loading.
void timer;
`;
