// The one API client of the renderer: `api.call(op, input)` typed by the contract,
// over whichever transport this page has (the Electron preload, or HTTP).
import type { EngineEvent, OpInput, OpName, OpOutput } from '../../../main/api/contract';
import type { PickKind } from '../../../main/electron/bridge';
import { bridgeTransport } from './bridge-transport';
import { httpTransport } from './http-transport';
import type { Transport } from './transport';

export interface Api {
  readonly transport: Transport['kind'];
  call<N extends OpName>(op: N, input: OpInput<N>): Promise<OpOutput<N>>;
  onEvent(cb: (e: EngineEvent) => void): () => void;
  onReconnect(cb: () => void): () => void;
  thumbUrl(datasetId: number, seq: number, size?: number): string;
  fileUrl(path: string): string;
  /** The path of a dropped File, when the transport can tell ('' otherwise). */
  pathForFile(file: File): string;
  /** Native pickers exist only in the app. */
  readonly canPick: boolean;
  pickPath(kind: PickKind): Promise<string | null>;
  onOpenPath(cb: (path: string) => void): () => void;
}

export function createApi(t: Transport): Api {
  return {
    transport: t.kind,
    call: (op, input) => t.call(op, input) as never,
    onEvent: (cb) => t.onEvent(cb),
    onReconnect: (cb) => t.onReconnect(cb),
    thumbUrl: (datasetId, seq, size = 256) => t.mediaUrl('thumb', { dataset: datasetId, seq, size }),
    fileUrl: (path) => t.mediaUrl('file', { path }),
    pathForFile: (file) => t.pathForFile?.(file) ?? '',
    canPick: !!t.pickPath,
    pickPath: (kind) => t.pickPath?.(kind) ?? Promise.resolve(null),
    onOpenPath: (cb) => t.onOpenPath?.(cb) ?? (() => {}),
  };
}

/** The Electron bridge when the preload put one there, else HTTP to this page's origin. */
export function detectTransport(w: Window = window): Transport {
  return w.tldr ? bridgeTransport(w.tldr) : httpTransport('');
}

let current: Api | undefined;

export function useApi(): Api {
  current ??= createApi(detectTransport());
  return current;
}

/** Tests install a stand-in. */
export function setApi(api: Api | undefined): void {
  current = api;
}
