// Reader options come from detection (stored as json with the dataset) or a user: read
// them defensively, never trusting their types.
import { DEFAULT_MAX_PIXELS } from '../image/limits';

export type Options = Record<string, unknown> | undefined;

export function optString(o: Options, name: string): string | undefined {
  const v = o?.[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function optNumber(o: Options, name: string): number | undefined {
  const v = o?.[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function optBoolean(o: Options, name: string): boolean | undefined {
  const v = o?.[name];
  return typeof v === 'boolean' ? v : undefined;
}

export function optStrings(o: Options, name: string): string[] | undefined {
  const v = o?.[name];
  return Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : undefined;
}

/** Options every reader understands. */
export interface CommonOptions {
  /** Pixel count above which an image is refused (decompression-bomb guard). */
  maxPixels: number;
  /** Image headers read at once. */
  concurrency: number;
}

export function commonOptions(o: Options): CommonOptions {
  return {
    maxPixels: optNumber(o, 'maxPixels') ?? DEFAULT_MAX_PIXELS,
    concurrency: Math.max(1, Math.min(64, optNumber(o, 'concurrency') ?? 16)),
  };
}
