// GET /api/events: engine events (job progress, logs) as Server-Sent Events.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EngineEvent } from '../api/contract';
import { BASE_HEADERS } from './http-util';

const HEARTBEAT_MS = 15_000;

export type Subscribe = (cb: (e: EngineEvent) => void) => () => void;

/** Streams events until the client goes; returns a function that ends the stream. */
export function handleEvents(subscribe: Subscribe, req: IncomingMessage, res: ServerResponse): () => void {
  res.writeHead(200, {
    ...BASE_HEADERS,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
  });
  res.write('retry: 2000\n\n');
  const off = subscribe((e) => res.write(`data: ${JSON.stringify(e)}\n\n`));
  // Comments keep proxies (an SSH tunnel's far end, say) from closing an idle stream.
  const ping = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    off();
    clearInterval(ping);
    res.end();
  };
  req.on('close', end);
  return end;
}
