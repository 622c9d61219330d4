// What an import reads, resolved into parts: each part is an image matrix, an optional
// text matrix with the same rows, and the keys of those rows in the same order. Shapes
// and row counts are checked here, before anything is written.
import { statSync } from 'node:fs';
import path from 'node:path';
import {
  clipRetrievalColumns,
  clipRetrievalKey,
  clipRetrievalParts,
} from '../../dataset/readers/clip-retrieval';
import { relativeTo } from '../../dataset/base-dir';
import type { EmbeddingArray } from './embedding-array';
import { keyText, openParquetKeys, openTextKeys, parquetColumns, type KeyReader } from './key-list';
import { NpyFile } from './npy-file';
import type { NpyDtype } from './npy-header';
import { listNpzArrays, openNpzArray } from './npz-file';

/** The pairs column that source keys are matched against. */
export type KeyField = 'key' | 'uid' | 'url';

export type ImportSource =
  | { kind: 'clip-retrieval'; folder: string; keyField?: KeyField }
  | {
      kind: 'npy';
      image: string;
      text?: string;
      /** One key per line, or a parquet with a key / uid / url column. */
      keys: string;
      keyField?: KeyField;
    }
  | {
      kind: 'npz';
      file: string;
      /** DataComp: the uid parquet beside the .npz. */
      keys: string;
      /** Default: the only array, or the only one whose name says img / image. */
      imageArray?: string | undefined;
      textArray?: string;
      keyField?: KeyField;
    };

export interface ImportPart {
  label: string;
  rows: number;
  openImage(): Promise<EmbeddingArray>;
  openText?: (() => Promise<EmbeddingArray>) | undefined;
  openKeys(): Promise<KeyReader>;
}

export interface ResolvedSource {
  parts: ImportPart[];
  rows: number;
  imageDims: number;
  /** 0 when the source has no text embeddings. */
  textDims: number;
  /** dtype of the image matrix (float16 sources are stored as float16). */
  dtype: NpyDtype;
  keyField: KeyField;
  /** Changes when any source file does: a partial import is only continued on the same files. */
  fingerprint: string;
  /** 'import:<folder name>' (npz: 'import:<file stem>:<array>'). */
  defaultModel: string;
  /** Source files, for the feature set's record. */
  files: string[];
}

export class ImportSourceError extends Error {}

const KEY_FIELDS: KeyField[] = ['key', 'uid', 'url'];

function stamp(files: string[]): string {
  return JSON.stringify(
    files.map((f) => {
      const s = statSync(f);
      return [f, s.size, Math.round(s.mtimeMs)];
    }),
  );
}

async function shapeOf(open: () => Promise<EmbeddingArray>) {
  const a = await open();
  try {
    return { rows: a.rows, cols: a.cols, dtype: a.dtype, source: a.source };
  } finally {
    a.close();
  }
}

/** A key list: text lines, or a parquet column chosen by keyField (or the first of key/uid/url). */
async function keyList(
  file: string,
  keyField: KeyField | undefined,
): Promise<{ open: () => Promise<KeyReader>; field: KeyField; rows?: number }> {
  if (!file.toLowerCase().endsWith('.parquet')) {
    return { open: () => Promise.resolve(openTextKeys(file)), field: keyField ?? 'key' };
  }
  const { meta, columns } = await parquetColumns(file);
  const lower = new Map(columns.map((c) => [c.toLowerCase(), c]));
  const field = keyField ?? KEY_FIELDS.find((f) => lower.has(f));
  const column = field && lower.get(field);
  if (!field || !column) {
    throw new ImportSourceError(
      `${file} has no ${keyField ? `"${keyField}"` : 'key, uid or url'} column (columns: ${columns.join(', ')})`,
    );
  }
  return {
    open: () => openParquetKeys(file, [column], (row) => keyText(row[column])),
    field,
    rows: Number(meta.num_rows),
  };
}

async function resolveClipRetrieval(
  folder: string,
  keyField: KeyField | undefined,
  sameDims: boolean,
): Promise<ResolvedSource> {
  const base = path.resolve(folder);
  const found = await clipRetrievalParts(base).catch((e: unknown) => {
    // Not a clip-retrieval folder (the reader says what it missed): the user's input.
    throw (e as NodeJS.ErrnoException).code ? e : new ImportSourceError((e as Error).message);
  });
  const field = keyField ?? 'key';
  const parts: ImportPart[] = [];
  const files: string[] = [];
  for (const p of found) {
    const metaRel = relativeTo(base, p.metadata);
    if (!p.image) throw new ImportSourceError(`${metaRel} has no img_emb .npy with the same part number`);
    const image = p.image;
    const text = p.text;
    const { meta } = await parquetColumns(p.metadata);
    const cols = clipRetrievalColumns(meta);
    const column = field === 'key' ? undefined : cols[field];
    if (field !== 'key' && !column) throw new ImportSourceError(`${metaRel} has no ${field} column`);
    parts.push({
      label: relativeTo(base, image),
      rows: Number(meta.num_rows),
      openImage: () => Promise.resolve(NpyFile.open(image, { source: relativeTo(base, image) })),
      openText: text
        ? () => Promise.resolve(NpyFile.open(text, { source: relativeTo(base, text) }))
        : undefined,
      // Keyed exactly as the clip-retrieval reader keys the pairs it indexes.
      openKeys: () =>
        column
          ? openParquetKeys(p.metadata, [column], (row) => keyText(row[column]))
          : openParquetKeys(p.metadata, [...new Set(Object.values(cols))], (row, i) =>
              clipRetrievalKey(row, cols, metaRel, i),
            ),
    });
    files.push(p.metadata, image, ...(text ? [text] : []));
  }
  const r = await finish(parts, field, files, sameDims);
  return { ...r, defaultModel: `import:${path.basename(base)}` };
}

/** Checks shapes across parts and fills the totals. */
async function finish(
  parts: ImportPart[],
  keyField: KeyField,
  files: string[],
  sameDims: boolean,
): Promise<Omit<ResolvedSource, 'defaultModel'>> {
  let imageDims = -1;
  let textDims = -1;
  let dtype: NpyDtype = '<f4';
  let rows = 0;
  for (const p of parts) {
    const img = await shapeOf(p.openImage);
    const txt = p.openText ? await shapeOf(p.openText) : undefined;
    if (img.rows !== p.rows) {
      throw new ImportSourceError(`${img.source} has ${img.rows} rows but its keys list ${p.rows}`);
    }
    if (imageDims >= 0 && img.cols !== imageDims) {
      throw new ImportSourceError(`${img.source} has ${img.cols}-d rows, earlier parts ${imageDims}-d`);
    }
    if (txt && txt.rows !== img.rows) {
      throw new ImportSourceError(`${txt.source} has ${txt.rows} rows but ${img.source} has ${img.rows}`);
    }
    if (txt && txt.cols !== img.cols && sameDims) {
      // Joint-space (CLIP) embeddings: one dimension for both sides.
      throw new ImportSourceError(
        `${txt.source} is ${txt.cols}-d but ${img.source} is ${img.cols}-d: image and text embeddings must come from the same CLIP model`,
      );
    }
    if (!txt && textDims > 0)
      throw new ImportSourceError(`${p.label} has no text embeddings, earlier parts do`);
    if (txt && textDims === 0)
      throw new ImportSourceError(`${p.label} has text embeddings, earlier parts do not`);
    imageDims = img.cols;
    textDims = txt ? txt.cols : 0;
    if (img.dtype === '<f2') dtype = '<f2';
    rows += p.rows;
  }
  if (imageDims < 0) throw new ImportSourceError('no embeddings found');
  return { parts, rows, imageDims, textDims, dtype, keyField, fingerprint: stamp(files), files };
}

/** The image member of an .npz when none is named: the only array, or the only img/image one. */
function defaultImageArray(file: string): string {
  const names = listNpzArrays(file);
  if (names.length === 1) return names[0]!;
  const img = names.filter((n) => /(^|[^a-z])(img|image)/i.test(n));
  if (img.length === 1) return img[0]!;
  throw new ImportSourceError(
    `${file} has ${names.length ? `arrays ${names.join(', ')}` : 'no arrays'}: name the image one (imageArray)`,
  );
}

/**
 * `sameDims` (default): image and text rows must have one dimension (CLIP's joint space).
 * An import into an existing feature set checks both against that set's instead (the
 * builtin model's image and text vectors differ in size).
 */
export async function resolveImportSource(
  source: ImportSource,
  { sameDims = true }: { sameDims?: boolean } = {},
): Promise<ResolvedSource> {
  try {
    if (source.kind === 'clip-retrieval')
      return await resolveClipRetrieval(source.folder, source.keyField, sameDims);
    const keys = await keyList(source.keys, source.keyField);
    let openImage: () => Promise<EmbeddingArray>;
    let openText: (() => Promise<EmbeddingArray>) | undefined;
    let label: string;
    let defaultModel: string;
    let files: string[];
    if (source.kind === 'npy') {
      const { image, text } = source;
      openImage = () => Promise.resolve(NpyFile.open(image));
      openText = text ? () => Promise.resolve(NpyFile.open(text)) : undefined;
      label = image;
      defaultModel = `import:${path.basename(path.dirname(path.resolve(image)))}`;
      files = [image, ...(text ? [text] : []), source.keys];
    } else {
      const { file, textArray } = source;
      const imageArray = source.imageArray ?? defaultImageArray(file);
      openImage = () => openNpzArray(file, imageArray);
      openText = textArray ? () => openNpzArray(file, textArray) : undefined;
      label = `${file}:${imageArray}`;
      defaultModel = `import:${path.basename(file).replace(/\.npz$/i, '')}:${imageArray.replace(/\.npy$/, '')}`;
      files = [file, source.keys];
    }
    // A text key list's length is only known once read: the import checks it then.
    const rows = keys.rows ?? (await shapeOf(openImage)).rows;
    const part: ImportPart = { label, rows, openImage, openText, openKeys: keys.open };
    return { ...(await finish([part], keys.field, files, sameDims)), defaultModel };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ImportSourceError(`not found: ${(e as NodeJS.ErrnoException).path ?? String(e)}`);
    }
    throw e;
  }
}
