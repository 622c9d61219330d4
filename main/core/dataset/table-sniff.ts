// Guesses how a csv/tsv of image–caption rows is laid out from its first lines: the
// separator, whether there is a header, which column holds the image (a path or a URL)
// and which the caption. CC3M's TSV is caption<TAB>url without header, CC12M's is
// url<TAB>caption: the column of URLs tells them apart.
import { parse } from 'csv-parse/sync';
import { isImageName } from './image-probe';

export const IMAGE_COLUMNS = [
  'filepath',
  'image',
  'file_name',
  'url',
  'URL',
  'image_url',
  'image_name',
  'filename',
  'img',
  'path',
  'image_path',
  'img_path',
];
export const CAPTION_COLUMNS = [
  'caption',
  'title',
  'text',
  'TEXT',
  'comment',
  'captions',
  'sentence',
  'description',
  'raw',
];
export const KEY_COLUMNS = ['key', 'id', 'uid', 'image_id'];

export interface TableLayout {
  delimiter: string;
  header: boolean;
  /** Column index of the image path or URL. */
  imageColumn: number;
  captionColumn: number;
  keyColumn?: number | undefined;
  /** True when the image column holds URLs (no file to read). */
  imageIsUrl: boolean;
  /** True when an image repeats in nearby rows (several captions each): keys get `#n`. */
  multiCaption: boolean;
  /** Header names, when there is a header. */
  columns?: string[] | undefined;
}

export type SniffResult = { layout: TableLayout } | { problem: string };

const URL_RE = /^https?:\/\//i;

function looksLikeImageRef(v: string): boolean {
  const s = v.trim();
  return URL_RE.test(s) || (isImageName(s.split(/[?#]/)[0]!) && !s.includes(' '));
}

function findColumn(names: readonly string[], wanted: readonly string[]): number | undefined {
  for (const w of wanted) {
    const i = names.indexOf(w);
    if (i >= 0) return i;
  }
  const lower = names.map((n) => n.toLowerCase());
  for (const w of wanted) {
    const i = lower.indexOf(w.toLowerCase());
    if (i >= 0) return i;
  }
  return undefined;
}

/** The separator whose per-line count is steadiest over the sample lines. */
export function sniffDelimiter(lines: readonly string[]): string | undefined {
  let best: { d: string; score: number } | undefined;
  for (const d of ['\t', '|', ',']) {
    const counts = lines.map((l) => l.split(d).length - 1);
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const steady = counts.filter((c) => c === first).length / counts.length;
    const present = counts.filter((c) => c > 0).length / counts.length;
    const score = steady * 2 + present;
    if (present >= 0.75 && (!best || score > best.score + 1e-9)) best = { d, score };
  }
  return best?.d;
}

/** Reads the layout from the first bytes of a table file (already gunzipped). */
export function sniffTable(head: string): SniffResult {
  const rawLines = head.split(/\r?\n/);
  if (rawLines.length > 1) rawLines.pop(); // the last line may be cut by the sample size
  const lines = rawLines.filter((l) => l.trim() !== '').slice(0, 60);
  if (lines.length === 0) return { problem: 'the file is empty' };
  const delimiter = sniffDelimiter(lines);
  if (!delimiter) return { problem: 'no column separator (comma, tab or |) found in the first lines' };
  let rows: string[][];
  try {
    rows = parse(lines.join('\n'), {
      delimiter,
      quote: delimiter === ',' ? '"' : false,
      trim: delimiter === '|',
      relax_column_count: true,
      relax_quotes: true,
      skip_records_with_error: true,
    }) as string[][];
  } catch (e) {
    return {
      problem: `the first lines do not parse as a table: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  if (rows.length === 0) return { problem: 'no rows' };
  const first = rows[0]!.map((c) => c.trim());
  const known = [...IMAGE_COLUMNS, ...CAPTION_COLUMNS, ...KEY_COLUMNS, 'comment_number'];
  const namedImage = findColumn(first, IMAGE_COLUMNS);
  const namedCaption = findColumn(first, CAPTION_COLUMNS);
  const header =
    (namedImage !== undefined && namedCaption !== undefined) ||
    (first.some((c) => known.includes(c)) && !first.some(looksLikeImageRef));
  const body = header ? rows.slice(1) : rows;
  if (body.length === 0) return { problem: 'the table has a header but no rows' };
  const width = Math.max(...body.map((r) => r.length));
  const share = (col: number, pred: (v: string) => boolean): number =>
    body.filter((r) => r[col] !== undefined && pred(r[col]!)).length / body.length;

  let imageColumn = header ? namedImage : undefined;
  let captionColumn = header ? namedCaption : undefined;
  if (imageColumn === undefined) {
    // The column whose cells look like URLs or image file names.
    let bestShare = 0;
    for (let c = 0; c < width; c++) {
      const s = share(c, looksLikeImageRef);
      if (s > bestShare && s >= 0.8) {
        bestShare = s;
        imageColumn = c;
      }
    }
  }
  if (imageColumn === undefined) {
    return {
      problem: header
        ? `no image column: expected one named ${IMAGE_COLUMNS.join(', ')}`
        : 'no column holds image paths or URLs',
    };
  }
  if (captionColumn === undefined) {
    // The column of the longest texts with spaces, other than the image one.
    let bestLen = 0;
    for (let c = 0; c < width; c++) {
      if (c === imageColumn) continue;
      const texts = body.map((r) => r[c] ?? '');
      const avg = texts.reduce((a, t) => a + (t.includes(' ') ? t.length : t.length / 4), 0) / texts.length;
      if (avg > bestLen) {
        bestLen = avg;
        captionColumn = c;
      }
    }
  }
  if (captionColumn === undefined)
    return { problem: 'no caption column: the table has only an image column' };
  const imageIsUrl = share(imageColumn, (v) => URL_RE.test(v.trim())) >= 0.5;
  const images = body.map((r) => (r[imageColumn!] ?? '').trim());
  const multiCaption = new Set(images).size < images.length * 0.9;
  const keyColumn = header ? findColumn(first, KEY_COLUMNS) : undefined;
  return {
    layout: {
      delimiter,
      header,
      imageColumn,
      captionColumn,
      keyColumn: keyColumn !== imageColumn ? keyColumn : undefined,
      imageIsUrl,
      multiCaption,
      columns: header ? first : undefined,
    },
  };
}
