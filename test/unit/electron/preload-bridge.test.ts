// window.tldr, built from a stand-in ipcRenderer and webUtils.
import { describe, expect, it } from 'vitest';
import { OP_NAMES } from '../../../main/api/contract';
import { apiChannel, CHANNELS } from '../../../main/electron/channels';
import { createBridge, type IpcRendererLike } from '../../../main/electron/preload-bridge';

function fakeIpc() {
  const on = new Map<string, (...a: never[]) => unknown>();
  const invoked: { channel: string; args: unknown[] }[] = [];
  const sent: string[] = [];
  const ipc: IpcRendererLike = {
    async invoke(channel, ...args) {
      invoked.push({ channel, args });
      return { ok: true, value: channel };
    },
    send(channel) {
      sent.push(channel);
    },
    on(channel, listener) {
      on.set(channel, listener as never);
    },
    removeListener(channel) {
      on.delete(channel);
    },
  };
  return { ipc, on, invoked, sent };
}

describe('preload bridge', () => {
  it('has one function per contract operation, invoking api:<op>', async () => {
    const f = fakeIpc();
    const bridge = createBridge(f.ipc, { getPathForFile: () => '' });
    expect(Object.keys(bridge.ops).sort()).toEqual([...OP_NAMES].sort());
    const ops = bridge.ops as unknown as Record<string, (i: unknown) => Promise<unknown>>;
    for (const op of OP_NAMES) {
      expect(await ops[op]!({})).toEqual({ ok: true, value: apiChannel(op) });
    }
    expect(f.invoked.map((i) => i.channel)).toEqual(OP_NAMES.map(apiChannel));
  });

  it('asks for the events port and relays its messages', () => {
    const f = fakeIpc();
    const bridge = createBridge(f.ipc, { getPathForFile: () => '' });
    expect(f.sent).toEqual([CHANNELS.subscribeEvents]);
    const got: unknown[] = [];
    const off = bridge.onEvent((e) => got.push(e));
    const port = { onmessage: null as ((e: { data: unknown }) => void) | null };
    (f.on.get(CHANNELS.eventsPort) as unknown as (e: unknown) => void)({ ports: [port] });
    port.onmessage!({ data: { type: 'log', level: 'info', message: 'a' } });
    off();
    port.onmessage!({ data: { type: 'log', level: 'info', message: 'b' } });
    expect(got).toEqual([{ type: 'log', level: 'info', message: 'a' }]);
  });

  it('gives dropped files their path, and pickers and menu paths', async () => {
    const f = fakeIpc();
    const bridge = createBridge(f.ipc, {
      getPathForFile: (file) => {
        if ((file as { name: string }).name === 'bad') throw new Error('no');
        return `/data/${(file as { name: string }).name}`;
      },
    });
    expect(bridge.pathForFile({ name: 'cc3m' } as File)).toBe('/data/cc3m');
    expect(bridge.pathForFile({ name: 'bad' } as File)).toBe('');
    await bridge.pickPath('file');
    expect(f.invoked.at(-1)).toEqual({ channel: CHANNELS.pickPath, args: ['file'] });
    const paths: string[] = [];
    bridge.onOpenPath((p) => paths.push(p));
    (f.on.get(CHANNELS.openPath) as unknown as (e: unknown, p: unknown) => void)({}, '/menu/path');
    expect(paths).toEqual(['/menu/path']);
  });
});
