// The renderer's Content-Security-Policy, one definition for the three places it is
// enforced: the <meta> tag of the built index.html, the headless server's response
// header, and the Electron session's response header.

/** Scheme of the Electron app's thumbnail/full-image protocol (see main/electron). */
export const MEDIA_SCHEME = 'tldr-media';

const RENDERER_DIRECTIVES: Readonly<Record<string, string>> = {
  'default-src': "'none'",
  'script-src': "'self'",
  'style-src': "'self'",
  // ECharts' tooltips are HTML with style attributes; <style> elements stay forbidden.
  'style-src-attr': "'unsafe-inline'",
  'img-src': `'self' data: ${MEDIA_SCHEME}:`,
  'font-src': "'self' data:",
  'connect-src': "'self'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'object-src': "'none'",
};

function serialize(d: Readonly<Record<string, string>>): string {
  return Object.entries(d)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');
}

/** For the <meta> tag: browsers ignore (and warn about) frame-ancestors there. */
export function rendererMetaCsp(): string {
  return serialize(RENDERER_DIRECTIVES);
}

/** For response headers of the renderer's pages. */
export function rendererHeaderCsp(): string {
  return serialize({ ...RENDERER_DIRECTIVES, 'frame-ancestors': "'none'" });
}

/**
 * The Vite dev server (`npm start`) injects <style> elements and talks to its HMR
 * websocket; this is only ever used when the renderer comes from that dev server.
 */
export function rendererDevCsp(devOrigin: string): string {
  const ws = devOrigin.replace(/^http/, 'ws');
  return serialize({
    ...RENDERER_DIRECTIVES,
    'script-src': `'self' ${devOrigin}`,
    'style-src': `'self' 'unsafe-inline' ${devOrigin}`,
    'connect-src': `'self' ${devOrigin} ${ws}`,
    'img-src': `'self' data: ${devOrigin} ${MEDIA_SCHEME}:`,
  });
}

/** Media responses: an image that is opened directly can run nothing. */
export const MEDIA_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";
