// Building the `error` of a PairRecord: one per record, the most serious wins.
import type { ErrorKind, PairRecord } from './types';

export type PairError = NonNullable<PairRecord['error']>;

export function pairError(kind: ErrorKind, message: string): PairError {
  return { kind, message };
}

// Image problems first (the pair is unusable), then record and caption problems.
const SEVERITY: readonly ErrorKind[] = [
  'path_escape',
  'truncated_archive',
  'download_failed',
  'missing_image',
  'unreadable_image',
  'corrupt_image',
  'image_too_large',
  'malformed_record',
  'missing_caption',
  'empty_caption',
  'non_utf8_caption',
  'duplicate_key',
];

/** The most serious of the given errors, or undefined when there is none. */
export function worstError(...errors: (PairError | undefined)[]): PairError | undefined {
  let best: PairError | undefined;
  for (const e of errors) {
    if (e && (!best || SEVERITY.indexOf(e.kind) < SEVERITY.indexOf(best.kind))) best = e;
  }
  return best;
}

/** Message of an unknown thrown value. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
