// What the refinement job asks of a captioner, whichever it is (builtin codes or a
// transformers.js model on the pixels).
import type { StoredPair } from '../store/pairs';

/** Why a kept pair got no caption. */
export interface CaptionFailure {
  error: string;
}

export interface CaptionSource {
  /** Stored in refined_captions.model: 'builtin', a registry id, or a folder path. */
  readonly model: string;
  /** One generated caption per pair, in order (pairs sharing an image are captioned once). */
  caption(pairs: readonly StoredPair[], signal?: AbortSignal): Promise<Array<string | CaptionFailure>>;
  dispose(): Promise<void>;
}

export function isFailure(x: string | CaptionFailure): x is CaptionFailure {
  return typeof x !== 'string';
}
