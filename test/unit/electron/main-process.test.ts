// The Electron main process against a stand-in electron module.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OP_NAMES } from '../../../main/api/contract';
import { startApp, type AppHandle } from '../../../main/electron/app';
import { apiChannel, CHANNELS } from '../../../main/electron/channels';
import { FakeFrame, FakeWebContents, fakeElectron } from './fake-electron';

let dir: string;
let workspace: string;
let mainDir: string;
let fake: ReturnType<typeof fakeElectron>;
let handle: AppHandle;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tldr-electron-'));
  workspace = path.join(dir, 'workspace');
  mainDir = path.join(dir, 'app', 'out', 'main');
  mkdirSync(mainDir, { recursive: true });
  mkdirSync(path.join(dir, 'app', 'build', 'electron-native'), { recursive: true });
  writeFileSync(path.join(dir, 'app', 'build', 'electron-native', 'better_sqlite3.node'), '');
  fake = fakeElectron({
    appPath: path.join(dir, 'app'),
    answer: (op) => (op === 'engine.status' ? { version: '0.1.0', workspace, node: 'v20' } : { op }),
  });
  handle = startApp(fake.electron, {
    mainDir,
    env: { TLDR_WORKSPACE: workspace },
    platform: 'linux',
    log: () => {},
  });
  await handle.ready;
  await handle.engine();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const indexUrl = () => pathToFileURL(path.join(dir, 'app', 'out', 'renderer', 'index.html')).href;

function trustedEvent() {
  const wc = fake.windows[0]!.webContents;
  return { sender: wc, senderFrame: wc.mainFrame };
}

describe('engine utility process', () => {
  it('uses the workspace as the user-data folder and passes it with the Electron sqlite build', () => {
    expect(handle.workspace).toBe(workspace);
    expect(fake.app.paths.userData).toBe(workspace);
    expect(fake.app.paths.sessionData).toBe(path.join(workspace, 'electron'));
    const child = fake.children[0]!;
    expect(child.entry).toBe(path.join(mainDir, 'engine-child.js'));
    expect(child.options.env?.TLDR_WORKSPACE).toBe(workspace);
    expect(child.options.env?.TLDR_SQLITE_BINDING).toBe(
      path.join(dir, 'app', 'build', 'electron-native', 'better_sqlite3.node'),
    );
  });
});

describe('ipc', () => {
  it('registers one handler per contract operation', () => {
    for (const op of OP_NAMES) expect(fake.handlers.has(apiChannel(op)), op).toBe(true);
    expect(fake.handlers.has(CHANNELS.pickPath)).toBe(true);
  });

  it('forwards a trusted call to the engine and answers an envelope', async () => {
    const h = fake.handlers.get(apiChannel('engine.status'))!;
    const r = await (h as (e: unknown, i: unknown) => Promise<unknown>)(trustedEvent(), {});
    expect(r).toEqual({ ok: true, value: { version: '0.1.0', workspace, node: 'v20' } });
    expect(fake.children[0]!.received.at(-1)).toMatchObject({ type: 'call', op: 'engine.status', input: {} });
  });

  it('refuses other windows, subframes, other origins and gone frames', async () => {
    const wc = fake.windows[0]!.webContents;
    const other = new FakeWebContents(indexUrl());
    const events = [
      { sender: other, senderFrame: other.mainFrame }, // another window
      { sender: wc, senderFrame: new FakeFrame(indexUrl(), wc.mainFrame, 1, 7) }, // a subframe
      { sender: wc, senderFrame: null }, // navigated away or destroyed
    ];
    const h = fake.handlers.get(apiChannel('datasets.list'))! as (e: unknown, i: unknown) => Promise<unknown>;
    const before = fake.children[0]!.received.length;
    for (const e of events) expect(await h(e, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // The top frame showing some other page.
    const saved = wc.mainFrame.url;
    for (const url of ['https://evil.example/', 'file:///tmp/other.html', 'data:text/html,x']) {
      wc.mainFrame.url = url;
      expect(await h(trustedEvent(), {}), url).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    wc.mainFrame.url = saved;
    expect(fake.children[0]!.received.length).toBe(before);
    const pick = fake.handlers.get(CHANNELS.pickPath)! as (e: unknown, k: unknown) => Promise<unknown>;
    expect(await pick(events[0], 'folder')).toBeNull();
    expect(await pick(trustedEvent(), 'folder')).toBe('/picked/folder');
  });

  it('sends engine events over a MessagePort to a trusted subscriber only', async () => {
    const sub = fake.listeners.get(CHANNELS.subscribeEvents)! as (e: unknown) => void;
    const other = new FakeWebContents(indexUrl());
    sub({ sender: other, senderFrame: other.mainFrame });
    expect(other.posted).toHaveLength(0);
    const wc = fake.windows[0]!.webContents;
    sub(trustedEvent());
    const posted = wc.posted.at(-1)!;
    expect(posted.channel).toBe(CHANNELS.eventsPort);
    expect(posted.transfer).toHaveLength(1);
    const port1 = fake.ports.at(-2)!;
    expect(port1.started).toBe(true);
    const event = { type: 'log', level: 'info', message: 'hi' };
    fake.children[0]!.emit('message', { type: 'event', event });
    expect(port1.messages).toContainEqual(event);
  });
});

describe('window and session', () => {
  it('opens the window with the secure options and our page', () => {
    const w = fake.windows[0]!;
    const prefs = w.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
    expect(prefs.preload).toBe(path.join(dir, 'app', 'out', 'preload', 'index.cjs'));
    expect(w.webContents.mainFrame.url).toBe(indexUrl());
  });

  it('blocks navigation, new windows and webviews', () => {
    const wc = fake.windows[0]!.webContents;
    const nav = (event: string, url: string) => {
      let prevented = false;
      wc.emit(event, { url, preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    expect(nav('will-navigate', 'https://evil.example/')).toBe(true);
    expect(nav('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(nav('will-redirect', 'http://127.0.0.1:1/')).toBe(true);
    expect(nav('will-navigate', `${indexUrl()}#/words`)).toBe(false);
    expect(nav('will-attach-webview', 'about:blank')).toBe(true);
    expect(wc.windowOpenHandler!({ url: 'https://example.org/paper' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(fake.shell.opened).toEqual(['https://example.org/paper']);
  });

  it('sets a strict CSP on every response', () => {
    let out: { responseHeaders: Record<string, string[]> } | undefined;
    (fake.webRequest.headers as (d: unknown, cb: (r: typeof out) => void) => void)(
      { url: indexUrl(), responseHeaders: { 'content-security-policy': ['default-src *'] } },
      (r) => (out = r),
    );
    const csp = out!.responseHeaders['Content-Security-Policy']![0]!;
    expect(
      Object.keys(out!.responseHeaders).filter((k) => k.toLowerCase() === 'content-security-policy'),
    ).toHaveLength(1);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain('img-src');
    expect(csp).toContain('tldr-media:');
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  });

  it('loads no remote content and grants no permissions', () => {
    const cancel = (url: string) => {
      let r: { cancel: boolean } | undefined;
      (fake.webRequest.before as (d: unknown, cb: (x: typeof r) => void) => void)({ url }, (x) => (r = x));
      return r!.cancel;
    };
    expect(cancel('https://evil.example/x.js')).toBe(true);
    expect(cancel('http://127.0.0.1:8080/')).toBe(true);
    expect(cancel('file:///etc/passwd')).toBe(true);
    expect(cancel(indexUrl())).toBe(false);
    expect(cancel(pathToFileURL(path.join(dir, 'app', 'out', 'renderer', 'assets', 'index.js')).href)).toBe(
      false,
    );
    expect(cancel('tldr-media://thumb/?dataset=1&seq=0')).toBe(false);
    let granted: boolean | undefined;
    (fake.defaultSession.permissionRequest as (w: unknown, p: string, cb: (g: boolean) => void) => void)(
      {},
      'media',
      (g) => (granted = g),
    );
    expect(granted).toBe(false);
    expect((fake.defaultSession.permissionCheck as () => boolean)()).toBe(false);
  });

  it('registers the media scheme as privileged and handles it', () => {
    expect(fake.protocol.privileged).toContainEqual(expect.objectContaining({ scheme: 'tldr-media' }));
    expect(fake.protocol.handled.has('tldr-media')).toBe(true);
  });

  it('has an application menu with Open… items', () => {
    const labels = JSON.stringify(fake.menu.template);
    expect(labels).toContain('Open Dataset Folder…');
    expect(fake.menu.set).toBe(fake.menu.template);
  });
});

describe('quit', () => {
  it('asks the engine to shut down and waits for it before quitting', async () => {
    const child = fake.children[0]!;
    const quitAgain = new Promise<void>((r) => fake.app.once('will-quit', () => r()));
    fake.app.quit();
    await quitAgain;
    expect(child.received.at(-1)).toEqual({ type: 'shutdown' });
    expect(fake.app.quitCalls).toBe(2);
    expect(child.killed).toBe(false);
  });
});

describe('built page', () => {
  it('carries the CSP in a <meta> tag (file:// pages get no response headers)', async () => {
    const config = (await import('../../../electron.vite.config')).default as {
      renderer: {
        plugins: {
          name: string;
          transformIndexHtml?: () => { tag: string; attrs: Record<string, string> }[];
        }[];
      };
    };
    const plugin = config.renderer.plugins.find((p) => p?.name === 'tldr-csp-meta');
    const [tag] = plugin!.transformIndexHtml!();
    expect(tag).toMatchObject({ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy' } });
    expect(tag!.attrs.content).toContain("default-src 'none'");
    expect(tag!.attrs.content).toContain("script-src 'self'");
    expect(tag!.attrs.content).not.toContain('frame-ancestors'); // ignored (with a warning) in <meta>
  });
});
