// The original image bytes of a pair, copied as they are (never re-encoded), with the
// checks that tell a dataset file changed or vanished since it was indexed.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { datasetBaseDir } from '../dataset/base-dir';
import { fsImageError, isImageError } from '../image/errors';
import { confine, readImageBytes } from '../image/read-bytes';
import type { StoredPair } from '../store/pairs';
import { messageOf } from './errors';

export interface Skip {
  reason: string;
  message: string;
}

export type ImageRead = { bytes: Buffer; ext: string } | { skip: Skip };

/** The extension a trainer's decoder expects, from the bytes' signature. */
export function sniffImageExt(b: Uint8Array): string | undefined {
  const at = (i: number) => b[i] ?? -1;
  const ascii = (i: number, s: string) => [...s].every((c, k) => at(i + k) === c.charCodeAt(0));
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'jpg';
  if (at(0) === 0x89 && ascii(1, 'PNG')) return 'png';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'webp';
  if (ascii(0, 'GIF8')) return 'gif';
  if (ascii(0, 'BM')) return 'bmp';
  if ((ascii(0, 'II') && at(2) === 42 && at(3) === 0) || (ascii(0, 'MM') && at(2) === 0 && at(3) === 42))
    return 'tiff';
  if (ascii(4, 'ftypavif') || ascii(4, 'ftypavis')) return 'avif';
  return undefined;
}

function extOfName(name: string): string | undefined {
  const ext = path.posix.extname(name).slice(1).toLowerCase();
  return ext === 'jpeg' ? 'jpg' : ext || undefined;
}

function originalExt(p: StoredPair): string | undefined {
  const img = p.image;
  if (img.kind === 'file') return extOfName(img.path);
  if (img.kind === 'tar') return extOfName(img.member);
  if (img.kind === 'parquet') return extOfName(`x.${img.column.split('.').pop() ?? ''}`);
  return undefined;
}

function changed(p: StoredPair, actual: number): Skip {
  return {
    reason: 'image_changed',
    message: `${where(p)} is ${actual} bytes, the index recorded ${p.bytes}: the file changed since it was indexed (re-index the dataset)`,
  };
}

/**
 * A file-held image whose size or modification time differs from the index's: the bytes
 * may not be the ones that were selected. Same size with a new mtime counts as changed too
 * (an edit in place, or a file replaced by another of the same size); the user re-indexes.
 * (Source hashes are not used here: img2dataset's sha256 is of the downloaded bytes before
 * resizing, so it does not match the stored file of a resized dataset.)
 */
function fileChange(p: StoredPair, st: { size: number; mtimeMs: number }): Skip | undefined {
  if (p.bytes !== null && st.size !== p.bytes) return changed(p, st.size);
  // Under a millisecond apart is the same time (tools that restore an mtime may round it).
  if (p.mtimeMs !== null && Math.abs(st.mtimeMs - p.mtimeMs) >= 1) {
    return {
      reason: 'image_changed',
      message: `${where(p)} was modified at ${new Date(st.mtimeMs).toISOString()}, after it was indexed (${new Date(p.mtimeMs).toISOString()}); its size is the same but its bytes may not be: the file changed since it was indexed (re-index the dataset)`,
    };
  }
  return undefined;
}

function where(p: StoredPair): string {
  const img = p.image;
  if (img.kind === 'tar') return `${img.path} member ${img.member}`;
  if (img.kind === 'parquet') return `${img.path} row ${img.row}`;
  if (img.kind === 'file') return img.path;
  return p.key;
}

/** Reads the pair's image bytes; a missing, changed or unreadable source comes back as a skip. */
export async function readPairImage(root: string, p: StoredPair): Promise<ImageRead> {
  const img = p.image;
  if (img.kind === 'url')
    return { skip: { reason: 'not_on_disk', message: `only a URL is known (${img.url})` } };
  if (img.kind === 'none') return { skip: { reason: 'not_on_disk', message: 'the record names no image' } };
  let bytes: Buffer;
  try {
    // Tar members are checked against their header by the reader: a rewritten shard is caught there.
    bytes = await readImageBytes(root, img);
    if (img.kind === 'file') {
      // The stat after the read: a file replaced while being read is caught too.
      const st = await stat(confine(datasetBaseDir(root), img.path));
      const c = fileChange(p, { size: bytes.byteLength, mtimeMs: st.mtimeMs });
      if (c) return { skip: c };
    }
  } catch (e) {
    if (isImageError(e)) return { skip: { reason: e.kind, message: e.message } };
    return { skip: { reason: 'unreadable_image', message: `${where(p)}: ${messageOf(e)}` } };
  }
  if (img.kind !== 'tar' && p.bytes !== null && p.bytes !== bytes.byteLength)
    return { skip: changed(p, bytes.byteLength) };
  const ext = sniffImageExt(bytes) ?? originalExt(p) ?? 'jpg';
  return { bytes, ext };
}

/** The absolute path of a file-held image, after checking it is still there with its indexed size. */
export async function checkImageFile(
  root: string,
  p: StoredPair,
  verify: boolean,
): Promise<{ abs: string } | { skip: Skip }> {
  const img = p.image;
  if (img.kind !== 'file')
    return { skip: { reason: 'no_image_file', message: `the image is not a file of its own (${img.kind})` } };
  let abs: string;
  try {
    abs = confine(datasetBaseDir(root), img.path);
  } catch (e) {
    return { skip: { reason: 'path_escape', message: messageOf(e) } };
  }
  if (!verify) return { abs };
  try {
    const st = await stat(abs);
    if (!st.isFile()) return { skip: { reason: 'missing_image', message: `${img.path} is not a file` } };
    const c = fileChange(p, st);
    if (c) return { skip: c };
  } catch (e) {
    const err = fsImageError(e, img.path);
    return {
      skip: { reason: err.kind, message: `${err.message} (it was there when the dataset was indexed)` },
    };
  }
  return { abs };
}
