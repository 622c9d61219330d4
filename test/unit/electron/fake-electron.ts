// A stand-in for the `electron` module: records what the app registers and lets tests
// play the renderer, the user and the engine utility process.
import { EventEmitter } from 'node:events';
import type { ElectronApi } from '../../../main/electron/electron-api';
import type { FromEngine, ToEngine } from '../../../main/engine/protocol';

type Fn = (...args: never[]) => unknown;

export class FakeFrame {
  constructor(
    public url: string,
    public parent: FakeFrame | null = null,
    public processId = 1,
    public routingId = 1,
  ) {}
}

export class FakeWebContents extends EventEmitter {
  mainFrame: FakeFrame;
  windowOpenHandler: ((d: { url: string }) => { action: string }) | undefined;
  sent: { channel: string; args: unknown[] }[] = [];
  posted: { channel: string; message: unknown; transfer: unknown[] }[] = [];
  constructor(url = 'about:blank') {
    super();
    this.mainFrame = new FakeFrame(url);
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.windowOpenHandler = h;
  }
  send(channel: string, ...args: unknown[]) {
    this.sent.push({ channel, args });
  }
  postMessage(channel: string, message: unknown, transfer: unknown[] = []) {
    this.posted.push({ channel, message, transfer });
  }
}

export class FakePort {
  started = false;
  closed = false;
  messages: unknown[] = [];
  start() {
    this.started = true;
  }
  close() {
    this.closed = true;
  }
  postMessage(m: unknown) {
    this.messages.push(m);
  }
}

/** Plays the engine child: answers calls with `answer`, exits on shutdown. */
export class FakeEngineChild extends EventEmitter {
  pid = 4242;
  received: ToEngine[] = [];
  killed = false;
  constructor(
    readonly entry: string,
    readonly options: { env?: Record<string, string | undefined> },
    readonly answer: (op: string, input: unknown) => unknown,
  ) {
    super();
    setImmediate(() => this.emit('message', { type: 'ready' } satisfies FromEngine));
  }
  postMessage(m: ToEngine) {
    this.received.push(m);
    if (m.type === 'shutdown') setImmediate(() => this.emit('exit', 0));
    else
      setImmediate(() =>
        this.emit('message', {
          type: 'result',
          id: m.id,
          ok: true,
          value: this.answer(m.op, m.input),
        } satisfies FromEngine),
      );
  }
  kill() {
    this.killed = true;
    this.emit('exit', 1);
    return true;
  }
}

export function fakeElectron(opts: { appPath: string; answer?: (op: string, input: unknown) => unknown }) {
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    paths: {} as Record<string, string>,
    quitCalls: 0,
    setPath(name: string, p: string) {
      this.paths[name] = p;
    },
    requestSingleInstanceLock: () => true,
    quit() {
      app.quitCalls++;
      const e = {
        defaultPrevented: false,
        preventDefault() {
          this.defaultPrevented = true;
        },
      };
      app.emit('before-quit', e);
      if (!e.defaultPrevented) app.emit('will-quit');
    },
    whenReady: () => Promise.resolve(),
    getAppPath: () => opts.appPath,
    getVersion: () => '0.1.0',
  });

  const handlers = new Map<string, Fn>();
  const listeners = new Map<string, Fn>();
  const ipcMain = {
    handle(channel: string, fn: Fn) {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, fn);
    },
    on(channel: string, fn: Fn) {
      listeners.set(channel, fn);
    },
  };

  const protocol = {
    privileged: [] as unknown[],
    handled: new Map<string, Fn>(),
    registerSchemesAsPrivileged(s: unknown[]) {
      this.privileged.push(...s);
    },
    handle(scheme: string, fn: Fn) {
      this.handled.set(scheme, fn);
    },
  };

  const webRequest = {
    headers: undefined as undefined | Fn,
    before: undefined as undefined | Fn,
    onHeadersReceived(fn: Fn) {
      this.headers = fn;
    },
    onBeforeRequest(fn: Fn) {
      this.before = fn;
    },
  };
  const defaultSession = Object.assign(new EventEmitter(), {
    webRequest,
    permissionRequest: undefined as undefined | Fn,
    permissionCheck: undefined as undefined | Fn,
    setPermissionRequestHandler(fn: Fn) {
      this.permissionRequest = fn;
    },
    setPermissionCheckHandler(fn: Fn) {
      this.permissionCheck = fn;
    },
  });

  const windows: FakeWindow[] = [];
  class FakeWindow extends EventEmitter {
    webContents = new FakeWebContents();
    destroyed = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    async loadURL(url: string) {
      this.webContents.mainFrame.url = url;
    }
    isDestroyed() {
      return this.destroyed;
    }
    show() {}
    focus() {}
    restore() {}
    isMinimized() {
      return false;
    }
  }

  const children: FakeEngineChild[] = [];
  const utilityProcess = {
    fork(entry: string, _args: string[], options: { env?: Record<string, string | undefined> }) {
      const c = new FakeEngineChild(entry, options, opts.answer ?? (() => ({})));
      children.push(c);
      return c;
    },
  };

  const ports: FakePort[] = [];
  class MessageChannelMain {
    port1 = new FakePort();
    port2 = new FakePort();
    constructor() {
      ports.push(this.port1, this.port2);
    }
  }

  const menu = { template: undefined as unknown, set: undefined as unknown };
  const Menu = {
    buildFromTemplate(t: unknown) {
      menu.template = t;
      return t;
    },
    setApplicationMenu(m: unknown) {
      menu.set = m;
    },
  };
  const dialog = {
    errors: [] as string[],
    async showOpenDialog() {
      return { canceled: false, filePaths: ['/picked/folder'] };
    },
    showErrorBox(title: string, body: string) {
      this.errors.push(`${title}: ${body}`);
    },
    async showMessageBox() {
      return { response: 0 };
    },
  };
  const shell = {
    opened: [] as string[],
    async openExternal(url: string) {
      this.opened.push(url);
    },
  };

  const electron = {
    app,
    ipcMain,
    protocol,
    session: { defaultSession },
    BrowserWindow: FakeWindow,
    utilityProcess,
    MessageChannelMain,
    Menu,
    dialog,
    shell,
  };
  return {
    electron: electron as unknown as ElectronApi,
    app,
    handlers,
    listeners,
    protocol,
    webRequest,
    defaultSession,
    windows,
    children,
    ports,
    menu,
    dialog,
    shell,
  };
}
