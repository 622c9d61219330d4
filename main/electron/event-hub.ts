// Engine events for listeners that subscribe before the engine process is up.
import type { EngineEvent } from '../api/contract';
import type { EngineClient } from '../engine/client';

export function eventHub(engine: Promise<Pick<EngineClient, 'onEvent'>>): Pick<EngineClient, 'onEvent'> {
  const listeners = new Set<(e: EngineEvent) => void>();
  engine.then(
    (c) => c.onEvent((e) => listeners.forEach((l) => l(e))),
    () => undefined,
  );
  return {
    onEvent(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}
