// Builds `window.tldr` from ipcRenderer and webUtils (passed in, so tests need no Electron).
import { OP_NAMES, type EngineEvent, type OpName } from '../api/contract';
import type { BridgeOps, PickKind, TldrBridge } from './bridge';
import { apiChannel, CHANNELS } from './channels';

interface PortLike {
  onmessage: ((e: { data: unknown }) => void) | null;
}

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: { ports: readonly PortLike[] }, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (...args: never[]) => void): unknown;
}

export interface WebUtilsLike {
  getPathForFile(file: File): string;
}

export function createBridge(
  ipc: IpcRendererLike,
  webUtils: WebUtilsLike,
  ops: readonly OpName[] = OP_NAMES,
): TldrBridge {
  const listeners = new Set<(e: EngineEvent) => void>();
  ipc.on(CHANNELS.eventsPort, (event) => {
    const port = event.ports[0];
    if (!port) return;
    port.onmessage = (m) => {
      for (const l of listeners) l(m.data as EngineEvent);
    };
  });
  ipc.send(CHANNELS.subscribeEvents);

  const fns = Object.fromEntries(
    ops.map((op) => [op, (input: unknown) => ipc.invoke(apiChannel(op), input ?? {})]),
  );

  return {
    ops: fns as unknown as BridgeOps,
    onEvent(cb) {
      listeners.add(cb);
      return () => void listeners.delete(cb);
    },
    onOpenPath(cb) {
      const h = (_e: unknown, p: unknown) => {
        if (typeof p === 'string') cb(p);
      };
      ipc.on(CHANNELS.openPath, h);
      return () => void ipc.removeListener(CHANNELS.openPath, h);
    },
    pathForFile(file) {
      try {
        return webUtils.getPathForFile(file);
      } catch {
        return '';
      }
    },
    pickPath(kind: PickKind) {
      return ipc.invoke(CHANNELS.pickPath, kind === 'file' ? 'file' : 'folder') as Promise<string | null>;
    },
  };
}
