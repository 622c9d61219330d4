// Resumable HTTP download of one file: bytes go to `<dest>.part`, an interrupted transfer
// continues with a Range request, the sha256 (when known) is checked before the file is
// renamed into place, and a mismatching file is removed so it cannot be loaded later.
import { createHash, type Hash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';

export interface TransferProgress {
  /** Bytes of this file on disk so far (resumed bytes included). */
  bytes: number;
  /** Full size of the file when the server said (Content-Length / Content-Range). */
  total?: number;
  /** Bytes per second over this transfer (resumed bytes excluded). */
  rate: number;
  /** Seconds left at the current rate, when the total is known. */
  etaSeconds?: number;
}

export interface DownloadFileOptions {
  url: string;
  dest: string;
  /** Hex sha256, or undefined/"unknown" to skip verification. */
  sha256?: string;
  /** Exact size when known. */
  size?: number;
  onProgress?: (p: TransferProgress) => void;
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
  /** Minimum milliseconds between progress calls (the last one always comes). */
  progressIntervalMs?: number;
}

export interface DownloadFileResult {
  bytes: number;
  sha256: string;
  /** Bytes that were already in the .part file and reused. */
  resumedFrom: number;
}

export class ChecksumError extends Error {
  constructor(
    readonly file: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `checksum mismatch for ${path.basename(file)}: expected sha256 ${expected}, got ${actual}; the file was removed`,
    );
    this.name = 'ChecksumError';
  }
}

export class HttpError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`HTTP ${status} for ${url}`);
    this.name = 'HttpError';
  }
}

async function hashFile(file: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
}

/** Total size from a 206's Content-Range ("bytes 100-199/200") or a 200's Content-Length. */
function totalOf(res: Response, offset: number): number | undefined {
  const range = res.headers.get('content-range');
  const m = range ? /\/(\d+)\s*$/.exec(range) : null;
  if (m) return Number(m[1]);
  const len = res.headers.get('content-length');
  return len === null ? undefined : Number(len) + offset;
}

export async function downloadFile(opts: DownloadFileOptions): Promise<DownloadFileResult> {
  const fetchImpl = opts.fetchImpl ?? globalThis.fetch;
  const part = `${opts.dest}.part`;
  mkdirSync(path.dirname(opts.dest), { recursive: true });

  let offset = existsSync(part) ? statSync(part).size : 0;
  if (opts.size !== undefined && offset > opts.size) {
    rmSync(part);
    offset = 0;
  }
  const headers: Record<string, string> = {};
  if (offset > 0) headers.Range = `bytes=${offset}-`;
  let res = await fetchImpl(opts.url, { headers, signal: opts.signal, redirect: 'follow' });

  if (res.status === 416 && offset > 0) {
    // The .part already holds the whole file (or the server disagrees): verify it, or restart.
    await res.body?.cancel();
    res = await fetchImpl(opts.url, { signal: opts.signal, redirect: 'follow' });
    offset = 0;
  }
  if (res.status === 200)
    offset = 0; // no range support: start over
  else if (res.status !== 206) {
    await res.body?.cancel();
    throw new HttpError(opts.url, res.status);
  }
  if (!res.body) throw new HttpError(opts.url, res.status);

  const hash = createHash('sha256');
  if (offset > 0) await hashFile(part, hash);
  const total = totalOf(res, offset) ?? opts.size;
  const out = createWriteStream(part, { flags: offset > 0 ? 'a' : 'w' });
  const started = Date.now();
  const interval = opts.progressIntervalMs ?? 200;
  let bytes = offset;
  let lastReport = 0;
  const report = (force: boolean): void => {
    if (!opts.onProgress) return;
    const now = Date.now();
    if (!force && now - lastReport < interval) return;
    lastReport = now;
    const seconds = Math.max((now - started) / 1000, 1e-3);
    const rate = (bytes - offset) / seconds;
    const p: TransferProgress = { bytes, rate };
    if (total !== undefined) {
      p.total = total;
      if (rate > 0) p.etaSeconds = Math.max(0, (total - bytes) / rate);
    }
    opts.onProgress(p);
  };

  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      bytes += chunk.length;
      if (!out.write(chunk)) await once(out, 'drain');
      report(false);
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  report(true);

  if (total !== undefined && bytes !== total) {
    throw new Error(
      `incomplete download of ${path.basename(opts.dest)}: ${bytes} of ${total} bytes (will resume)`,
    );
  }
  const actual = hash.digest('hex');
  const expected = opts.sha256 && opts.sha256 !== 'unknown' ? opts.sha256.toLowerCase() : undefined;
  if (expected && actual !== expected) {
    rmSync(part, { force: true });
    throw new ChecksumError(opts.dest, expected, actual);
  }
  renameSync(part, opts.dest);
  return { bytes, sha256: actual, resumedFrom: offset };
}
