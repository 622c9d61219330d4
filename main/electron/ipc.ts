// IPC: one invoke handler per contract operation (generic over OP_NAMES), the pickers,
// and the MessagePort that carries engine events. Each handler checks its sender first.
import { OP_NAMES, type EngineEvent, type OpName } from '../api/contract';
import type { EngineClient } from '../engine/client';
import { toErrorShape } from '../server/http-util';
import type { BridgeResult, PickKind } from './bridge';
import { apiChannel, CHANNELS } from './channels';
import type { BrowserWindow, ElectronApi } from './electron-api';
import type { SenderCheck } from './sender-check';

const REFUSED = {
  ok: false,
  error: { code: 'forbidden', message: 'IPC from an untrusted frame refused' },
} as const;

/** `getClient` waits for the engine, so the window can open while it starts. */
export function registerApiHandlers(
  ipcMain: ElectronApi['ipcMain'],
  getClient: () => Promise<EngineClient>,
  isTrusted: SenderCheck,
  ops: readonly OpName[] = OP_NAMES,
): void {
  for (const op of ops) {
    ipcMain.handle(apiChannel(op), async (event, input: unknown): Promise<BridgeResult<unknown>> => {
      if (!isTrusted(event)) return REFUSED;
      try {
        const client = await getClient();
        return { ok: true, value: await client.call(op, input as never) };
      } catch (e) {
        return { ok: false, error: toErrorShape(e) };
      }
    });
  }
}

export function registerPickerHandler(
  ipcMain: ElectronApi['ipcMain'],
  dialog: ElectronApi['dialog'],
  getWindow: () => BrowserWindow | null,
  isTrusted: SenderCheck,
): void {
  ipcMain.handle(CHANNELS.pickPath, async (event, kind: unknown): Promise<string | null> => {
    if (!isTrusted(event)) return null;
    const win = getWindow();
    if (!win) return null;
    const folder = kind === ('folder' satisfies PickKind);
    const r = await dialog.showOpenDialog(win, {
      title: folder ? 'Open a dataset folder' : 'Open a dataset file',
      properties: folder ? ['openDirectory'] : ['openFile'],
      ...(folder
        ? {}
        : {
            filters: [
              {
                name: 'Dataset files',
                extensions: ['json', 'jsonl', 'tsv', 'csv', 'txt', 'parquet', 'tar', 'token'],
              },
              { name: 'All files', extensions: ['*'] },
            ],
          }),
    });
    return r.canceled ? null : (r.filePaths[0] ?? null);
  });
}

/**
 * Engine events go to the page over a MessagePort it asks for; a reload asks again and
 * the old port is closed.
 */
export function relayEvents(
  ipcMain: ElectronApi['ipcMain'],
  MessageChannelMain: ElectronApi['MessageChannelMain'],
  client: Pick<EngineClient, 'onEvent'>,
  isTrusted: SenderCheck,
): () => void {
  let port: InstanceType<ElectronApi['MessageChannelMain']>['port1'] | null = null;
  ipcMain.on(CHANNELS.subscribeEvents, (event) => {
    if (!isTrusted(event)) return;
    port?.close();
    const channel = new MessageChannelMain();
    port = channel.port1;
    port.start();
    event.sender.postMessage(CHANNELS.eventsPort, null, [channel.port2]);
  });
  const off = client.onEvent((e: EngineEvent) => port?.postMessage(e));
  return () => {
    off();
    port?.close();
    port = null;
  };
}
