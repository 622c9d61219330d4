// Messages between a client and an engine running in another process (a Node child
// process for the CLI and the headless server, an Electron utilityProcess for the app).
import type { ApiErrorShape, EngineEvent } from '../api/contract';

export type ToEngine = { type: 'call'; id: number; op: string; input: unknown } | { type: 'shutdown' };

export type FromEngine =
  | { type: 'ready' }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: ApiErrorShape }
  | { type: 'event'; event: EngineEvent }
  | { type: 'fatal'; message: string };
