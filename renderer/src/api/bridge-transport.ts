// The Electron transport: `window.tldr` from the preload.
import { MEDIA_SCHEME } from '../../../main/server/csp';
import type { BridgeResult, TldrBridge } from '../../../main/electron/bridge';
import { ApiCallError } from './errors';
import type { Transport } from './transport';

export function bridgeTransport(bridge: TldrBridge): Transport {
  const ops = bridge.ops as unknown as Record<
    string,
    ((input: unknown) => Promise<BridgeResult<unknown>>) | undefined
  >;
  return {
    kind: 'electron',
    async call(op, input) {
      const fn = ops[op];
      if (!fn) throw new ApiCallError('unknown_operation', `unknown operation "${op}"`);
      const r = await fn(input);
      if (r.ok) return r.value;
      throw new ApiCallError(
        r.error.code,
        r.error.message,
        'details' in r.error ? r.error.details : undefined,
      );
    },
    onEvent: (cb) => bridge.onEvent(cb),
    // The port is handed over once per page load; nothing to resynchronise.
    onReconnect: () => () => {},
    mediaUrl(kind, params) {
      const q = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]));
      return `${MEDIA_SCHEME}://${kind}/?${q}`;
    },
    pathForFile: (file) => bridge.pathForFile(file),
    pickPath: (kind) => bridge.pickPath(kind),
    onOpenPath: (cb) => bridge.onOpenPath(cb),
  };
}
