// img2dataset's per-sample files (<key>.jpg + <key>.txt + <key>.json), shared by the
// webdataset (tar) and "files" (folder) readers: one sample in, one PairRecord out.
import { captionFromBytes, captionFromText, type CaptionResult } from './caption';
import { messageOf, pairError, worstError, type PairError } from './errors';
import { pixelLimitError, type ImageSize } from './image-probe';
import type { ImageRef, PairRecord } from './types';

export interface SampleParts {
  key: string;
  /** Names the sample in messages: "00000.tar: 000000001". */
  where: string;
  image?: { ref: ImageRef; bytes: number; mtimeMs?: number } | undefined;
  txt?: Uint8Array | undefined;
  json?: Uint8Array | undefined;
}

const jsonDecoder = new TextDecoder('utf-8');

function positive(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return undefined;
}

/** The sample's json as an object, or the malformed_record error. */
export function parseSampleJson(
  bytes: Uint8Array,
  where: string,
): { meta: Record<string, unknown>; error?: PairError } {
  try {
    const v: unknown = JSON.parse(jsonDecoder.decode(bytes));
    if (v && typeof v === 'object' && !Array.isArray(v)) return { meta: v as Record<string, unknown> };
    return { meta: {}, error: pairError('malformed_record', `${where}.json is not a json object`) };
  } catch (e) {
    return {
      meta: {},
      error: pairError('malformed_record', `${where}.json is not valid json: ${messageOf(e)}`),
    };
  }
}

/**
 * Builds the record of one sample. `probe` reads the image header; it is called only
 * when the json does not give width and height.
 */
export async function sampleRecord(
  s: SampleParts,
  probe: () => Promise<ImageSize | undefined>,
  maxPixels: number,
): Promise<PairRecord> {
  const parsed = s.json ? parseSampleJson(s.json, s.where) : { meta: {} as Record<string, unknown> };
  const meta = parsed.meta;
  const cap: CaptionResult = s.txt
    ? captionFromBytes(s.txt, `${s.where}.txt`)
    : meta.caption !== undefined && meta.caption !== null
      ? captionFromText(meta.caption, `${s.where}.json`)
      : {
          caption: null,
          error: pairError('missing_caption', `${s.where}: no .txt member and no caption in its json`),
        };

  const record: PairRecord = {
    key: s.key,
    imageKey: s.key,
    image: s.image?.ref ?? { kind: 'none' },
    caption: cap.caption,
    bytes: s.image?.bytes,
    mtimeMs: s.image?.mtimeMs,
    hash: text(meta.sha256),
    url: text(meta.url),
    uid: text(meta.uid),
  };
  let imageError: PairError | undefined;
  if (!s.image) {
    imageError = pairError(
      'missing_image',
      `${s.where}: no image member (only ${[s.txt && 'txt', s.json && 'json'].filter(Boolean).join(' + ')})`,
    );
  } else {
    let size: ImageSize | undefined;
    const w = positive(meta.width);
    const h = positive(meta.height);
    if (w && h) size = { width: w, height: h };
    else size = await probe();
    if (!size)
      imageError = pairError(
        'corrupt_image',
        `${s.where}: image header unreadable (corrupt or not an image)`,
      );
    else {
      record.width = size.width;
      record.height = size.height;
      imageError = pixelLimitError(size, maxPixels, s.where);
    }
  }
  const error = worstError(imageError, parsed.error, cap.error);
  if (error) record.error = error;
  return record;
}

/** Key and extension of a sample member: the key is the name before the basename's first dot. */
export function splitMemberName(name: string): { key: string; ext: string } {
  const slash = name.lastIndexOf('/');
  const dot = name.indexOf('.', slash + 1);
  if (dot < 0) return { key: name, ext: '' };
  return { key: name.slice(0, dot), ext: name.slice(dot + 1).toLowerCase() };
}

export const SAMPLE_IMAGE_EXTS = new Set(['jpg', 'jpeg', 'png', 'webp', 'gif', 'bmp', 'tif', 'tiff', 'avif']);
