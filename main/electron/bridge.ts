// The shape of `window.tldr`, the preload's API: one function per contract operation
// plus events, dropped-file paths and pickers. Types only: the renderer imports it too.
import type { ApiErrorShape, EngineEvent, OpInput, OpName, OpOutput } from '../api/contract';

/**
 * Each call answers an envelope instead of throwing: contextBridge would keep only an
 * Error's message, and the renderer needs the code (invalid_input, not_found, …).
 */
export type BridgeResult<T> =
  { ok: true; value: T } | { ok: false; error: ApiErrorShape | { code: string; message: string } };

export type BridgeOps = { [N in OpName]: (input: OpInput<N>) => Promise<BridgeResult<OpOutput<N>>> };

export type PickKind = 'folder' | 'file';

export interface TldrBridge {
  readonly ops: BridgeOps;
  /** Engine events (job progress, logs); returns an unsubscribe function. */
  onEvent(cb: (e: EngineEvent) => void): () => void;
  /** A path chosen in the application menu (File → Open…). */
  onOpenPath(cb: (path: string) => void): () => void;
  /** The file-system path of a dropped File (webUtils.getPathForFile); '' when it has none. */
  pathForFile(file: File): string;
  /** A native open dialog; null when cancelled. */
  pickPath(kind: PickKind): Promise<string | null>;
}
