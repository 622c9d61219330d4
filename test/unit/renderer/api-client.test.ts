// The renderer's API client over both transports.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OP_NAMES } from '../../../main/api/contract';
import type { TldrBridge } from '../../../main/electron/bridge';
import { parseThumbRequest } from '../../../main/server/media-access';
import { bridgeTransport } from '../../../renderer/src/api/bridge-transport';
import { createApi } from '../../../renderer/src/api/client';
import { ApiCallError } from '../../../renderer/src/api/errors';
import { httpTransport } from '../../../renderer/src/api/http-transport';

afterEach(() => vi.unstubAllGlobals());

describe('HTTP transport', () => {
  it('POSTs the input as JSON to /api/<op> and answers the JSON', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify([{ id: 1 }]), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    const api = createApi(httpTransport(''));
    expect(await api.call('datasets.list', {})).toEqual([{ id: 1 }]);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/datasets.list');
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{}');
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
  });

  it('throws the contract error with its code', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(
            JSON.stringify({
              error: { code: 'invalid_input', message: 'datasets.info: datasetId: too small' },
            }),
            {
              status: 400,
            },
          ),
      ),
    );
    const api = createApi(httpTransport(''));
    const e = await api.call('datasets.info', { datasetId: -1 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiCallError);
    expect((e as ApiCallError).code).toBe('invalid_input');
    expect((e as ApiCallError).message).toBe('datasets.info: datasetId: too small');
  });

  it('builds media URLs the server parses back', () => {
    const api = createApi(httpTransport(''));
    const url = new URL(api.thumbUrl(4, 1234, 512), 'http://x');
    expect(url.pathname).toBe('/media/thumb');
    expect(parseThumbRequest(url.searchParams)).toEqual({ datasetId: 4, seq: 1234, size: 512 });
    expect(api.fileUrl('/data/a b.jpg')).toBe('/media/file?path=%2Fdata%2Fa+b.jpg');
    expect(api.canPick).toBe(false);
  });
});

describe('Electron transport', () => {
  function bridge(): TldrBridge {
    const ops = Object.fromEntries(
      OP_NAMES.map((op) => [
        op,
        async (input: unknown) =>
          op === 'datasets.info'
            ? { ok: false, error: { code: 'not_found', message: 'no dataset with id 9' } }
            : { ok: true, value: { op, input } },
      ]),
    );
    return {
      ops: ops as unknown as TldrBridge['ops'],
      onEvent: () => () => {},
      onOpenPath: () => () => {},
      pathForFile: (f) => `/dropped/${f.name}`,
      pickPath: async (k) => `/picked/${k}`,
    };
  }

  it('unwraps the envelope, keeping the error code', async () => {
    const api = createApi(bridgeTransport(bridge()));
    expect(await api.call('jobs.list', {})).toEqual({ op: 'jobs.list', input: {} });
    const e = await api.call('datasets.info', { datasetId: 9 }).catch((x: unknown) => x);
    expect((e as ApiCallError).code).toBe('not_found');
  });

  it('has pickers, dropped-file paths and tldr-media URLs', async () => {
    const api = createApi(bridgeTransport(bridge()));
    expect(api.transport).toBe('electron');
    expect(api.canPick).toBe(true);
    expect(await api.pickPath('folder')).toBe('/picked/folder');
    expect(api.pathForFile({ name: 'x' } as File)).toBe('/dropped/x');
    const url = new URL(api.thumbUrl(2, 7));
    expect(url.protocol).toBe('tldr-media:');
    expect(url.hostname).toBe('thumb');
    expect(parseThumbRequest(url.searchParams)).toEqual({ datasetId: 2, seq: 7, size: 256 });
  });
});
