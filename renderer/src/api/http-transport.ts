// The headless transport: POST /api/<op> and an EventSource on /api/events, both
// authenticated by the HttpOnly cookie the first page load set.
import type { EngineEvent } from '../../../main/api/contract';
import { ApiCallError } from './errors';
import type { Transport } from './transport';

export function httpTransport(base = ''): Transport {
  const listeners = new Set<(e: EngineEvent) => void>();
  const reconnects = new Set<() => void>();
  let source: EventSource | undefined;

  function connect(): void {
    if (source) return;
    source = new EventSource(`${base}/api/events`, { withCredentials: true });
    source.onmessage = (m: MessageEvent<string>) => {
      let e: EngineEvent;
      try {
        e = JSON.parse(m.data) as EngineEvent;
      } catch {
        return;
      }
      for (const l of listeners) l(e);
    };
    source.onopen = () => {
      for (const r of reconnects) r();
    };
  }

  return {
    kind: 'http',
    async call(op, input) {
      const res = await fetch(`${base}/api/${op}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
      const body = (await res.json().catch(() => null)) as unknown;
      if (res.ok) return body;
      const err = (body as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
      throw new ApiCallError(
        err?.code ?? 'failed',
        err?.message ?? `${op}: HTTP ${res.status}`,
        err?.details,
      );
    },
    onEvent(cb) {
      listeners.add(cb);
      connect();
      return () => listeners.delete(cb);
    },
    onReconnect(cb) {
      reconnects.add(cb);
      return () => reconnects.delete(cb);
    },
    mediaUrl(kind, params) {
      const q = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]));
      return `${base}/media/${kind}?${q}`;
    },
  };
}
