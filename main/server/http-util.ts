// Small helpers shared by the routes: JSON answers, error statuses, bounded bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiErrorShape } from '../api/contract';

/** The HTTP status that goes with each contract error code. */
export function statusForCode(code: string): number {
  switch (code) {
    case 'invalid_input':
      return 400;
    case 'not_found':
    case 'unknown_operation':
      return 404;
    case 'conflict':
      return 409;
    default:
      return 500;
  }
}

/** Headers every response carries, whatever the route. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    ...BASE_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': data.length,
    'Cache-Control': 'no-store',
  });
  res.end(data);
}

export function sendError(
  res: ServerResponse,
  status: number,
  error: ApiErrorShape | { code: string; message: string },
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, { error });
}

/** Duck-typed: errors from an in-process engine and from a child process carry `code`. */
export function toErrorShape(e: unknown): { code: string; message: string; details?: unknown } {
  if (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
    const { code, message, details } = e as { code: string; message?: unknown; details?: unknown };
    if (['invalid_input', 'not_found', 'conflict', 'failed', 'unknown_operation'].includes(code)) {
      return { code, message: String(message ?? code), ...(details === undefined ? {} : { details }) };
    }
  }
  return { code: 'failed', message: e instanceof Error ? e.message : String(e) };
}

export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads a JSON body of at most `limit` bytes; an empty body is `{}`. An oversized body is
 * refused (413) as soon as its Content-Length or its bytes say so, and the rest is read and
 * dropped rather than the socket destroyed: destroying it would reset the connection
 * before the client could read the 413.
 */
export function readJsonBody(req: IncomingMessage, limit = 1 << 20): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new BodyError(413, `request body larger than ${limit} bytes`);
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = Number(req.headers['content-length'] ?? 0) > limit;
    if (refused) {
      req.resume();
      reject(tooLarge());
      return;
    }
    req.on('data', (b: Buffer) => {
      if (refused) return;
      size += b.length;
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(b);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (refused) return;
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (!text) return resolve({});
      try {
        resolve(JSON.parse(text) as unknown);
      } catch {
        reject(new BodyError(400, 'request body is not valid JSON'));
      }
    });
  });
}
