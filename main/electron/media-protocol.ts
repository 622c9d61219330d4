// tldr-media://thumb/?dataset=<id>&seq=<n>&size=<px> and tldr-media://file/?path=<abs>:
// the app's thumbnails and full images, confined exactly like the server's /media routes.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { MEDIA_CSP, MEDIA_SCHEME } from '../server/csp';
import { MediaError, parseThumbRequest, type MediaAccess, type MediaFile } from '../server/media-access';
import type { ElectronApi } from './electron-api';

/** Must run before the app is ready. */
export function registerMediaScheme(protocol: ElectronApi['protocol']): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true } },
  ]);
}

export async function mediaResponse(
  media: MediaAccess,
  requestUrl: string,
  method = 'GET',
): Promise<Response> {
  let file: MediaFile;
  try {
    if (method !== 'GET' && method !== 'HEAD') throw new MediaError(400, 'method not allowed');
    const url = new URL(requestUrl);
    if (url.protocol !== `${MEDIA_SCHEME}:`) throw new MediaError(400, 'wrong scheme');
    if (url.hostname === 'thumb') file = await media.thumbnail(parseThumbRequest(url.searchParams));
    else if (url.hostname === 'file') file = await media.file(url.searchParams.get('path') ?? '');
    else throw new MediaError(404, 'no such media route');
  } catch (e) {
    const status = e instanceof MediaError ? e.status : 500;
    return new Response(e instanceof Error ? e.message : String(e), {
      status,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  const headers = {
    'Content-Type': file.contentType,
    'Content-Length': String(file.size),
    'Content-Security-Policy': MEDIA_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, max-age=300',
  };
  if (method === 'HEAD') return new Response(null, { status: 200, headers });
  const body = Readable.toWeb(createReadStream(file.path)) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, { status: 200, headers });
}

export function handleMediaProtocol(protocol: ElectronApi['protocol'], media: MediaAccess): void {
  protocol.handle(MEDIA_SCHEME, (request) => mediaResponse(media, request.url, request.method));
}
