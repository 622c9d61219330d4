// One error type for everything that can go wrong between an ImageRef and pixels, so
// callers (ingest, thumbnails, feature extraction) record a stable ErrorKind.
import type { ErrorKind } from '../dataset/types';

export class ImageError extends Error {
  override readonly name = 'ImageError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isImageError(e: unknown): e is ImageError {
  return e instanceof ImageError;
}

/** Node fs error code, when `e` is one. */
export function fsErrorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Maps a failed open/read of `what` to missing (does not exist) or unreadable (anything else). */
export function fsImageError(e: unknown, what: string): ImageError {
  const code = fsErrorCode(e);
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new ImageError('missing_image', `${what} does not exist`, { cause: e });
  }
  const reason = e instanceof Error ? e.message : String(e);
  return new ImageError('unreadable_image', `${what} cannot be read: ${reason}`, { cause: e });
}
