// One error type for exports, with a stable kind the UI and CLI can act on.
export type ExportErrorKind =
  /** The request cannot be served as asked (wrong format for the data, unknown run...). */
  | 'refused'
  /** The target folder exists and is not empty (and overwrite was not asked for). */
  | 'exists'
  | 'disk_full'
  | 'cancelled'
  | 'failed';

export class ExportError extends Error {
  override readonly name = 'ExportError';
  constructor(
    readonly kind: ExportErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A write that failed, tagged with the export-relative file it was writing. */
export class FileWriteError extends Error {
  override readonly name = 'FileWriteError';
  constructor(
    readonly file: string,
    override readonly cause: unknown,
  ) {
    super(`${file}: ${messageOf(cause)}`, { cause });
  }
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function errnoOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** ENOSPC or a quota: the user has to free space, not fix the data. */
export function isDiskFull(e: unknown): boolean {
  const code = errnoOf(e instanceof FileWriteError ? e.cause : e);
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** 1536 → "1.5 KiB": sizes in messages a user reads. */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}
