// The main window: isolated, sandboxed, no Node in the page, no webviews, no navigation
// away from the app's own page, no new windows.
import type {
  BrowserWindow,
  BrowserWindowConstructorOptions,
  ElectronApi,
  WebContents,
} from './electron-api';

export function secureWindowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'TL;DR Studio',
    autoHideMenuBar: false,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      // A file dropped outside the drop zone must not replace the app with that file.
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  };
}

/**
 * Applied to every WebContents the app creates: navigation only to the app's own page,
 * window.open denied (https links go to the system browser), webviews refused.
 */
export function guardWebContents(
  contents: WebContents,
  isAppPage: (url: string) => boolean,
  openExternal: (url: string) => void,
): void {
  // Electron passes the target as event.url (the second argument is deprecated).
  const stay = (e: { preventDefault(): void; url?: string }, url?: string) => {
    if (!isAppPage(e.url ?? url ?? '')) e.preventDefault();
  };
  contents.on('will-navigate', stay);
  contents.on('will-redirect', stay);
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\/[^/]/i.test(url)) openExternal(url);
    return { action: 'deny' };
  });
}

export function createMainWindow(
  BrowserWindowCtor: ElectronApi['BrowserWindow'],
  preload: string,
  url: string,
): BrowserWindow {
  const win = new BrowserWindowCtor(secureWindowOptions(preload));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(url);
  return win;
}
