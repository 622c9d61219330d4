// The engine in an Electron utilityProcess (built main/engine/child.ts, which talks
// through process.parentPort), wrapped as the same EngineClient the CLI and server use.
import type { EngineEvent, OpName } from '../api/contract';
import type { EngineClient } from '../engine/client';
import type { FromEngine, ToEngine } from '../engine/protocol';
import type { ElectronApi } from './electron-api';

/** Carries the contract error code across (main/engine/client.ts has the same class). */
export class EngineError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface EngineProcessOptions {
  /** The built engine entry (out/main/engine-child.js). */
  entry: string;
  workspace: string;
  /** The Electron build of better-sqlite3, when there is one. */
  sqliteBinding?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** How long close() waits for the running job to checkpoint before killing. */
  shutdownTimeoutMs?: number;
}

export type EngineProcess = EngineClient & { readonly pid: number | undefined };

export function forkEngine(
  utilityProcess: ElectronApi['utilityProcess'],
  opts: EngineProcessOptions,
): Promise<EngineProcess> {
  const child = utilityProcess.fork(opts.entry, [], {
    serviceName: 'TL;DR Studio engine',
    stdio: 'inherit',
    env: {
      ...(opts.env ?? process.env),
      TLDR_WORKSPACE: opts.workspace,
      ...(opts.sqliteBinding ? { TLDR_SQLITE_BINDING: opts.sqliteBinding } : {}),
    },
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Set<(e: EngineEvent) => void>();
  let nextId = 1;
  let exited = false;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const send = (m: ToEngine) => child.postMessage(m);

  return new Promise<EngineProcess>((resolve, reject) => {
    child.on('message', (raw: unknown) => {
      const m = raw as FromEngine;
      if (m.type === 'ready') resolve(client);
      else if (m.type === 'fatal') reject(new Error(m.message));
      else if (m.type === 'event') for (const l of listeners) l(m.event);
      else if (m.type === 'result') {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (!p) return;
        if (m.ok) p.resolve(m.value);
        else p.reject(new EngineError(m.error.code, m.error.message, m.error.details));
      }
    });
    child.on('exit', (code: number) => {
      exited = true;
      const err = new EngineError('failed', `the engine process ended (exit code ${code})`);
      reject(err);
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    });

    const client: EngineProcess = {
      get pid() {
        return child.pid;
      },
      call<N extends OpName>(op: N, input: unknown) {
        if (exited) return Promise.reject(new EngineError('failed', 'the engine process has ended'));
        const id = nextId++;
        return new Promise((res, rej) => {
          pending.set(id, { resolve: res as (v: unknown) => void, reject: rej });
          send({ type: 'call', id, op, input });
        });
      },
      onEvent(cb) {
        listeners.add(cb);
        return () => listeners.delete(cb);
      },
      async close() {
        if (exited) return;
        send({ type: 'shutdown' });
        const timeout = new Promise<'timeout'>((r) =>
          setTimeout(() => r('timeout'), opts.shutdownTimeoutMs ?? 15_000).unref?.(),
        );
        if ((await Promise.race([gone, timeout])) === 'timeout') {
          child.kill();
          await gone;
        }
      },
    } as EngineProcess;
  });
}
