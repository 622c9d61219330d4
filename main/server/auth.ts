// The token that guards every request. It arrives as `Authorization: Bearer`, as
// `?token=` in the URL the user opened (which then sets an HttpOnly cookie so the page's
// own fetch, EventSource and <img> requests carry it), or as that cookie.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Cookies are not isolated by port on 127.0.0.1, so the name carries the port. */
export function cookieName(port: number): string {
  return `tldr_token_${port}`;
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export type AuthResult =
  { ok: true; via: 'bearer' | 'query' | 'cookie' } | { ok: false; status: 401 | 403; message: string };

/**
 * Checks a request against the token. A cookie alone is refused when the browser says the
 * request comes from another site or another local port (Sec-Fetch-Site), so a page served
 * by some other program on 127.0.0.1 cannot ride on it.
 */
export function authenticate(req: IncomingMessage, url: URL, token: string, port: number): AuthResult {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    return m && sameSecret(m[1] ?? '', token)
      ? { ok: true, via: 'bearer' }
      : { ok: false, status: 401, message: 'wrong token' };
  }
  const q = url.searchParams.get('token');
  if (q !== null) {
    return sameSecret(q, token)
      ? { ok: true, via: 'query' }
      : { ok: false, status: 401, message: 'wrong token' };
  }
  const c = cookieValue(req.headers.cookie, cookieName(port));
  if (c === undefined) {
    return {
      ok: false,
      status: 401,
      message: 'a token is required: open the URL printed by `tldr-studio serve`',
    };
  }
  if (!sameSecret(c, token)) return { ok: false, status: 401, message: 'wrong token' };
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return { ok: false, status: 403, message: 'cross-origin request refused' };
  }
  return { ok: true, via: 'cookie' };
}

export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}
