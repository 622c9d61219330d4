// GET /media/thumb?dataset=<id>&seq=<n>[&size=<px>] and GET /media/file?path=<absolute>.
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MEDIA_CSP } from './csp';
import { BASE_HEADERS, sendError } from './http-util';
import { MediaError, parseThumbRequest, type MediaAccess, type MediaFile } from './media-access';

export async function handleMedia(
  media: MediaAccess,
  kind: string,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    sendError(res, 405, { code: 'invalid_input', message: 'method not allowed' });
    return;
  }
  let file: MediaFile;
  try {
    if (kind === 'thumb') file = await media.thumbnail(parseThumbRequest(url.searchParams));
    else if (kind === 'file') file = await media.file(url.searchParams.get('path') ?? '');
    else throw new MediaError(404, 'no such media route');
  } catch (e) {
    if (e instanceof MediaError) {
      sendError(res, e.status, {
        code: e.status === 404 ? 'not_found' : e.status === 500 ? 'failed' : 'invalid_input',
        message: e.message,
      });
      return;
    }
    throw e;
  }
  res.writeHead(200, {
    ...BASE_HEADERS,
    'Content-Type': file.contentType,
    'Content-Length': file.size,
    'Content-Security-Policy': MEDIA_CSP,
    'Cache-Control': 'private, max-age=300',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file.path)
    .on('error', () => res.destroy())
    .pipe(res);
}
