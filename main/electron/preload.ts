// The preload (sandboxed, bundled to CommonJS): exposes `window.tldr` and nothing else.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge, type IpcRendererLike } from './preload-bridge';

contextBridge.exposeInMainWorld('tldr', createBridge(ipcRenderer as unknown as IpcRendererLike, webUtils));
