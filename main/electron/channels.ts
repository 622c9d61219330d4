// Every IPC channel name, in one place, shared by the main process and the preload.
import type { OpName } from '../api/contract';

/** One invoke channel per contract operation: `api:<op>`. */
export function apiChannel(op: OpName): `api:${OpName}` {
  return `api:${op}`;
}

export const CHANNELS = {
  /** renderer → main (invoke): a native open dialog; answers a path or null. */
  pickPath: 'dialog:pick-path',
  /** renderer → main (send): asks for the MessagePort that carries engine events. */
  subscribeEvents: 'events:subscribe',
  /** main → renderer: the MessagePort of engine events. */
  eventsPort: 'events:port',
  /** main → renderer: a path chosen from the application menu (File → Open…). */
  openPath: 'app:open-path',
} as const;
