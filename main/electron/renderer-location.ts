// Where the renderer comes from, and which URLs count as "ours": the built index.html
// (file://), or the Vite dev server during `npm start`.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface RendererLocation {
  /** Absolute path of the built index.html. */
  indexFile: string;
  /** The dev server's URL (electron-vite sets ELECTRON_RENDERER_URL), when not packaged. */
  devUrl?: string | undefined;
}

export function rendererLocation(
  mainDir: string,
  env: NodeJS.ProcessEnv,
  isPackaged: boolean,
): RendererLocation {
  const indexFile = path.resolve(mainDir, '../renderer/index.html');
  const devUrl = !isPackaged && env.ELECTRON_RENDERER_URL ? env.ELECTRON_RENDERER_URL : undefined;
  return { indexFile, devUrl };
}

/** What BrowserWindow loads. */
export function startUrl(loc: RendererLocation): string {
  return loc.devUrl ?? pathToFileURL(loc.indexFile).href;
}

/** True for the app's own page: the index.html file (any hash) or the dev server's origin. */
export function isAppPageUrl(loc: RendererLocation, raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (loc.devUrl) {
    const dev = new URL(loc.devUrl);
    if (url.origin === dev.origin) return true;
  }
  if (url.protocol !== 'file:') return false;
  url.hash = '';
  url.search = '';
  try {
    return path.resolve(fileURLToPath(url)) === path.resolve(loc.indexFile);
  } catch {
    return false;
  }
}

/** True for requests the page may make: its own files, media, and the dev server. */
export function isAllowedRequestUrl(loc: RendererLocation, raw: string, mediaScheme: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === `${mediaScheme}:` || url.protocol === 'devtools:' || url.protocol === 'data:')
    return true;
  if (loc.devUrl) {
    const dev = new URL(loc.devUrl);
    if (url.host === dev.host && ['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return true;
  }
  if (url.protocol !== 'file:') return false;
  try {
    const rel = path.relative(path.dirname(path.resolve(loc.indexFile)), fileURLToPath(url));
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  } catch {
    return false;
  }
}
