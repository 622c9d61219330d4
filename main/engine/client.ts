// Clients of the engine: in-process (tests), or a forked child process (CLI, server).
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ApiErrorShape, EngineEvent, OpInput, OpName, OpOutput } from '../api/contract';
import type { JobDto } from '../api/schemas';
import { Engine } from './engine';
import type { FromEngine, ToEngine } from './protocol';

export class EngineCallError extends Error {
  readonly code: ApiErrorShape['code'];
  readonly details: unknown;
  constructor(e: ApiErrorShape) {
    super(e.message);
    this.code = e.code;
    this.details = e.details;
  }
}

export interface EngineClient {
  call<N extends OpName>(op: N, input: OpInput<N>): Promise<OpOutput<N>>;
  onEvent(cb: (e: EngineEvent) => void): () => void;
  close(): Promise<void>;
}

export function inProcessClient(workspace: string): EngineClient & { engine: Engine } {
  const engine = new Engine(workspace);
  return {
    engine,
    async call(op, input) {
      const r = await engine.call(op, input);
      if (!r.ok) throw new EngineCallError(r.error);
      return r.value as never;
    },
    onEvent: (cb) => engine.onEvent(cb),
    close: () => engine.close(),
  };
}

/** The engine entry next to this module: the .ts source under tsx, the .js file when built. */
function childEntry(): { file: string; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts'))
    return { file: fileURLToPath(new URL('./child.ts', here)), execArgv: ['--import', 'tsx'] };
  return { file: fileURLToPath(new URL('./engine-child.js', here)), execArgv: [] };
}

export async function spawnEngine(
  workspace: string,
  env: NodeJS.ProcessEnv = {},
): Promise<EngineClient & { child: ChildProcess }> {
  const { file, execArgv } = childEntry();
  const child = fork(file, [], {
    execArgv,
    env: { ...process.env, ...env, TLDR_WORKSPACE: workspace },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Set<(e: EngineEvent) => void>();
  let nextId = 1;
  let exited = false;
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (raw) => {
      const m = raw as FromEngine;
      if (m.type === 'ready') resolve();
      else if (m.type === 'fatal') reject(new Error(m.message));
      else if (m.type === 'event') for (const l of listeners) l(m.event);
      else if (m.type === 'result') {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (!p) return;
        if (m.ok) p.resolve(m.value);
        else p.reject(new EngineCallError(m.error));
      }
    });
    child.on('exit', (code, signal) => {
      exited = true;
      const err = new Error(`the engine process ended (${signal ?? `exit code ${code}`})`);
      reject(err);
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    });
  });
  await ready;
  const send = (m: ToEngine) => child.send(m);
  return {
    child,
    call(op, input) {
      if (exited) return Promise.reject(new Error('the engine process has ended'));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        send({ type: 'call', id, op, input });
      });
    },
    onEvent(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    async close() {
      if (exited) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      send({ type: 'shutdown' });
      await gone;
    },
  };
}

/** Waits for a job to end, reporting each progress event; resolves with the final job. */
export async function waitForJob(
  client: EngineClient,
  jobId: number,
  onProgress?: (j: JobDto) => void,
): Promise<JobDto> {
  return new Promise<JobDto>((resolve, reject) => {
    let settled = false;
    const finish = (j: JobDto) => {
      if (settled) return;
      settled = true;
      off();
      resolve(j);
    };
    const off = client.onEvent((e) => {
      if (e.type !== 'job' || e.job.id !== jobId) return;
      onProgress?.(e.job);
      if (e.job.state !== 'running') finish(e.job);
    });
    // The job may have ended before we subscribed.
    client.call('jobs.get', { jobId }).then(
      (j) => {
        if (j.state !== 'running') finish(j);
      },
      (err: unknown) => {
        off();
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
