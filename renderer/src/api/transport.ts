// What the API client needs from a transport: the Electron preload bridge or HTTP.
import type { EngineEvent } from '../../../main/api/contract';
import type { PickKind } from '../../../main/electron/bridge';

export type MediaKind = 'thumb' | 'file';

export interface Transport {
  readonly kind: 'electron' | 'http';
  call(op: string, input: unknown): Promise<unknown>;
  onEvent(cb: (e: EngineEvent) => void): () => void;
  /** Called when the event stream (re)connects: events may have been missed. */
  onReconnect(cb: () => void): () => void;
  mediaUrl(kind: MediaKind, params: Record<string, string | number>): string;
  /** Electron only: the path of a dropped File. */
  pathForFile?(file: File): string;
  /** Electron only: native pickers and File → Open… from the menu. */
  pickPath?(kind: PickKind): Promise<string | null>;
  onOpenPath?(cb: (path: string) => void): () => void;
}
