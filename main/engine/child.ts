// Entry of the engine process. Runs under Node's child_process.fork (CLI, headless
// server) or Electron's utilityProcess (the app), which talks through process.parentPort.
import { Engine } from './engine';
import type { FromEngine, ToEngine } from './protocol';

interface ParentPort {
  on(event: 'message', cb: (e: { data: ToEngine }) => void): void;
  postMessage(m: FromEngine): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function send(m: FromEngine): void {
  if (parentPort) parentPort.postMessage(m);
  // The parent may be gone (killed, or exited before we were ready): nobody to tell.
  else if (process.connected) process.send?.(m);
}

const workspace = process.env.TLDR_WORKSPACE;
if (!workspace) {
  send({ type: 'fatal', message: 'TLDR_WORKSPACE is not set' });
  process.exit(2);
}

const engine = new Engine(workspace);
engine.onEvent((event) => send({ type: 'event', event }));

let closing = false;
async function shutdown(code: number): Promise<void> {
  if (closing) return;
  closing = true;
  await engine.close(); // running jobs stop at their next checkpoint
  process.exit(code);
}

async function onMessage(m: ToEngine): Promise<void> {
  if (m.type === 'shutdown') return shutdown(0);
  if (m.type === 'call') {
    const r = await engine.call(m.op, m.input);
    send(
      r.ok
        ? { type: 'result', id: m.id, ok: true, value: r.value }
        : { type: 'result', id: m.id, ok: false, error: r.error },
    );
  }
}

if (parentPort) parentPort.on('message', (e) => void onMessage(e.data));
else process.on('message', (m) => void onMessage(m as ToEngine));
process.on('disconnect', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(130));
send({ type: 'ready' });
