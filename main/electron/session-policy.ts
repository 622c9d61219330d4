// The default session: the renderer's CSP on every response (the built page carries
// the same policy in a <meta> tag), no permissions, no downloads, no remote requests.
import { MEDIA_SCHEME, rendererDevCsp, rendererHeaderCsp } from '../server/csp';
import type { Session } from './electron-api';
import { isAllowedRequestUrl, type RendererLocation } from './renderer-location';

export function contentSecurityPolicy(loc: RendererLocation): string {
  return loc.devUrl ? rendererDevCsp(new URL(loc.devUrl).origin) : rendererHeaderCsp();
}

export function hardenSession(session: Session, loc: RendererLocation): void {
  const csp = contentSecurityPolicy(loc);
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const k of Object.keys(headers))
      if (k.toLowerCase() === 'content-security-policy') delete headers[k];
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [csp] } });
  });
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequestUrl(loc, details.url, MEDIA_SCHEME) });
  });
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.on('will-download', (e) => e.preventDefault());
}
