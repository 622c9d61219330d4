// The part of the `electron` module the app uses. Modules take it as a parameter, so
// tests run them against a stand-in; only index.ts and preload.ts import 'electron'.
import type * as ElectronModule from 'electron';

type E = typeof ElectronModule;

export type ElectronApi = Pick<
  E,
  | 'app'
  | 'BrowserWindow'
  | 'ipcMain'
  | 'protocol'
  | 'session'
  | 'Menu'
  | 'dialog'
  | 'utilityProcess'
  | 'MessageChannelMain'
  | 'shell'
>;

export type BrowserWindow = ElectronModule.BrowserWindow;
export type WebContents = ElectronModule.WebContents;
export type Session = ElectronModule.Session;
export type IpcMainInvokeEvent = ElectronModule.IpcMainInvokeEvent;
export type IpcMainEvent = ElectronModule.IpcMainEvent;
export type BrowserWindowConstructorOptions = ElectronModule.BrowserWindowConstructorOptions;
export type MenuItemConstructorOptions = ElectronModule.MenuItemConstructorOptions;
