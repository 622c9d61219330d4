// The Electron main process, given the electron module: window, session policy, engine
// utility process, IPC, media protocol, menu, clean shutdown. index.ts passes the real
// module; tests pass a stand-in.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { OpName } from '../api/contract';
import { defaultWorkspace } from '../core/workspace';
import { createMediaAccess } from '../server/media-access';
import { CHANNELS } from './channels';
import type { BrowserWindow, ElectronApi } from './electron-api';
import { forkEngine, type EngineProcess } from './engine-process';
import { eventHub } from './event-hub';
import { registerApiHandlers, registerPickerHandler, relayEvents } from './ipc';
import { handleMediaProtocol, registerMediaScheme } from './media-protocol';
import { menuTemplate } from './menu';
import { isAppPageUrl, rendererLocation, startUrl } from './renderer-location';
import { createSenderCheck } from './sender-check';
import { hardenSession } from './session-policy';
import { createMainWindow, guardWebContents } from './window';

export interface AppOptions {
  /** Folder of the built main process (out/main): the preload, renderer and engine are found from it. */
  mainDir: string;
  /** process.resourcesPath of the packaged app. */
  resourcesPath?: string | undefined;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  log?: (message: string) => void;
}

export interface AppHandle {
  workspace: string;
  ready: Promise<void>;
  getWindow(): BrowserWindow | null;
  engine(): Promise<EngineProcess>;
}

/** The Electron build of better-sqlite3 (scripts/electron-native.mjs; extraResources when packaged). */
export function sqliteBindingPath(
  isPackaged: boolean,
  appPath: string,
  resourcesPath: string | undefined,
): string {
  return isPackaged && resourcesPath
    ? path.join(resourcesPath, 'electron-native', 'better_sqlite3.node')
    : path.join(appPath, 'build', 'electron-native', 'better_sqlite3.node');
}

export function startApp(electron: ElectronApi, opts: AppOptions): AppHandle {
  const {
    app,
    protocol,
    ipcMain,
    session,
    Menu,
    dialog,
    utilityProcess,
    MessageChannelMain,
    shell,
    BrowserWindow,
  } = electron;
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));

  // One folder for the CLI, the server and the app: the workspace is the user-data folder.
  const workspace = defaultWorkspace(env, platform);
  app.setPath('userData', workspace);
  // Chromium's own caches and storage stay out of the way of the index.
  app.setPath('sessionData', path.join(workspace, 'electron'));
  registerMediaScheme(protocol); // before `ready`

  let win: BrowserWindow | null = null;
  const getWindow = () => (win && !win.isDestroyed() ? win : null);
  let enginePromise: Promise<EngineProcess> | undefined;
  const engine = () => enginePromise ?? Promise.reject(new Error('the engine has not started'));

  // A second instance would open the same database with a second writer.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { workspace, ready: Promise.resolve(), getWindow, engine };
  }

  const loc = rendererLocation(opts.mainDir, env, app.isPackaged);
  const isAppPage = (url: string) => isAppPageUrl(loc, url);
  const isTrusted = createSenderCheck(getWindow, isAppPage);
  const preload = path.join(opts.mainDir, '..', 'preload', 'index.cjs');

  app.on('web-contents-created', (_e, contents) =>
    guardWebContents(contents, isAppPage, (url) => void shell.openExternal(url)),
  );

  const openWindow = () => {
    const w = createMainWindow(BrowserWindow, preload, startUrl(loc));
    w.on('closed', () => {
      if (win === w) win = null;
    });
    win = w;
  };

  const pickAndSend = async (kind: 'folder' | 'file') => {
    const w = getWindow();
    if (!w) return;
    const r = await dialog.showOpenDialog(w, {
      properties: kind === 'folder' ? ['openDirectory'] : ['openFile'],
    });
    const p = r.canceled ? undefined : r.filePaths[0];
    if (p) w.webContents.send(CHANNELS.openPath, p);
  };

  const ready = app.whenReady().then(() => {
    hardenSession(session.defaultSession, loc);

    const binding = sqliteBindingPath(app.isPackaged, app.getAppPath(), opts.resourcesPath);
    if (!existsSync(binding))
      log(`tldr-studio: no Electron build of better-sqlite3 at ${binding}; run \`npm run rebuild:electron\``);
    enginePromise = forkEngine(utilityProcess, {
      entry: path.join(opts.mainDir, 'engine-child.js'),
      workspace,
      sqliteBinding: existsSync(binding) ? binding : undefined,
      env,
    });
    enginePromise.catch((e: unknown) => {
      dialog.showErrorBox(
        'The engine could not start',
        `${e instanceof Error ? e.message : String(e)}\n\nWorkspace: ${workspace}`,
      );
    });

    const media = createMediaAccess((op, input) =>
      engine().then((c) => c.call(op as OpName, input as never)),
    );
    handleMediaProtocol(protocol, media);
    registerApiHandlers(ipcMain, engine, isTrusted);
    registerPickerHandler(ipcMain, dialog, getWindow, isTrusted);
    relayEvents(ipcMain, MessageChannelMain, eventHub(engine()), isTrusted);

    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        menuTemplate({
          isMac: platform === 'darwin',
          dev: !app.isPackaged,
          actions: {
            openFolder: () => void pickAndSend('folder'),
            openFile: () => void pickAndSend('file'),
            about: () => {
              const w = getWindow();
              const box = {
                type: 'info' as const,
                title: 'About TL;DR Studio',
                message: `TL;DR Studio ${app.getVersion()}`,
                detail: `Workspace: ${workspace}\nElectron ${process.versions.electron ?? '?'} · Node ${process.versions.node}`,
              };
              void (w ? dialog.showMessageBox(w, box) : dialog.showMessageBox(box));
            },
          },
        }),
      ),
    );

    openWindow();
    app.on('activate', () => {
      if (!getWindow()) openWindow();
    });
  });

  app.on('second-instance', () => {
    const w = getWindow();
    if (!w) return;
    if (w.isMinimized()) w.restore();
    w.focus();
  });

  app.on('window-all-closed', () => {
    if (platform !== 'darwin') app.quit();
  });

  // Quit waits for the engine: the running job stops at its next checkpoint and saves it.
  let shutdown: 'no' | 'running' | 'done' = 'no';
  app.on('before-quit', (e) => {
    if (shutdown === 'done' || !enginePromise) return;
    e.preventDefault();
    if (shutdown === 'running') return;
    shutdown = 'running';
    void enginePromise
      .then(
        (c) => c.close(),
        () => undefined,
      )
      .finally(() => {
        shutdown = 'done';
        app.quit();
      });
  });

  return { workspace, ready, getWindow, engine };
}
