// Paths from a drop. In the app the preload turns each dropped File into its path; a
// browser never reveals it, so there a drop must carry the path as text (a file:// URI
// list, as file managers put on the clipboard, or a typed absolute path).

export interface DropData {
  readonly files?: ArrayLike<File> | null;
  getData(format: string): string;
}

function looksAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

function fromFileUri(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'file:') return undefined;
  let p: string;
  try {
    p = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  if (/^\/[a-zA-Z]:\//.test(p)) p = p.slice(1); // file:///C:/data → C:/data
  return url.host ? `//${url.host}${p}` : p;
}

export function pathsFromDrop(data: DropData, pathForFile?: (f: File) => string): string[] {
  const out: string[] = [];
  const files = data.files ? Array.from(data.files) : [];
  if (pathForFile) {
    for (const f of files) {
      const p = pathForFile(f);
      if (p) out.push(p);
    }
  }
  if (!out.length) {
    for (const line of safeGet(data, 'text/uri-list').split(/\r?\n/)) {
      const l = line.trim();
      if (!l || l.startsWith('#')) continue;
      const p = fromFileUri(l);
      if (p) out.push(p);
    }
  }
  if (!out.length) {
    for (const line of safeGet(data, 'text/plain').split(/\r?\n/)) {
      const l = line.trim();
      if (l.startsWith('file://')) {
        const p = fromFileUri(l);
        if (p) out.push(p);
      } else if (looksAbsolute(l)) out.push(l);
    }
  }
  return [...new Set(out)];
}

function safeGet(data: DropData, format: string): string {
  try {
    return data.getData(format) ?? '';
  } catch {
    return '';
  }
}
