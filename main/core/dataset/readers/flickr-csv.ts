// Kaggle's Flickr variants: `captions.txt` (CSV `image,caption`, Flickr8k) and
// `results.csv` (`image_name| comment_number| comment`, spaces around fields, Flickr30k).
// Five captions per image: key `<image>#<n>`, n from comment_number when given.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { datasetBaseDir } from '../base-dir';
import { captionFromBytes } from '../caption';
import { readCsvRows, type CsvDialect } from '../csv-rows';
import { pairError } from '../errors';
import { resolvePairs, type PendingPair } from '../file-pairs';
import { placeImages, topLevelFiles } from '../json-dataset';
import { readHead } from '../lines';
import { ProgressTicker } from '../progress';
import { commonOptions, optString, optStrings, type Options } from '../reader-options';
import type { FormatReader, ReadItem, ReadOptions } from '../types';

export const FLICKR_CSV_FILE = /^(captions\.txt|results\.csv)$/i;

interface FlickrCsvLayout {
  dialect: CsvDialect;
  image: number;
  caption: number;
  number?: number | undefined;
}

/** Layout from the header line; undefined when it is not a Kaggle Flickr header. */
export function flickrCsvLayout(headerLine: string): FlickrCsvLayout | undefined {
  const pipe = headerLine.includes('|');
  const names = headerLine.split(pipe ? '|' : ',').map((s) => s.trim().toLowerCase());
  const image = names.findIndex((n) => n === 'image' || n === 'image_name');
  const caption = names.findIndex((n) => n === 'caption' || n === 'comment');
  if (image < 0 || caption < 0) return undefined;
  const number = names.indexOf('comment_number');
  return {
    dialect: { delimiter: pipe ? '|' : ',', quote: !pipe, trim: pipe, skipLines: 1 },
    image,
    caption,
    number: number >= 0 ? number : undefined,
  };
}

async function* flickrCsvPairs(
  file: string,
  fileRel: string,
  layout: FlickrCsvLayout,
  unit: number,
): AsyncGenerator<PendingPair> {
  const counts = new Map<string, number>();
  const needed = Math.max(layout.image, layout.caption) + 1;
  for await (const row of readCsvRows(file, layout.dialect)) {
    const where = `${fileRel}, line ${row.line}`;
    if ('error' in row || row.cells.length < needed) {
      const key = `${fileRel}#line${row.line}`;
      const why = 'error' in row ? row.error : `${row.cells.length} column(s), expected ${needed}`;
      yield {
        key,
        imageKey: key,
        caption: { caption: null },
        error: pairError('malformed_record', `${where}: ${why}`),
        unit,
      };
      continue;
    }
    const image = row.cells[layout.image]!.toString('utf8').trim();
    const given = layout.number !== undefined ? row.cells[layout.number]?.toString('utf8').trim() : undefined;
    const n = given && /^\d+$/.test(given) ? Number(given) : (counts.get(image) ?? 0);
    counts.set(image, n + 1);
    yield {
      key: `${image}#${n}`,
      imageKey: image,
      image: image || undefined,
      caption: captionFromBytes(row.cells[layout.caption]!, where),
      error: image ? undefined : pairError('missing_image', `${where}: no image name`),
      unit,
    };
  }
}

export function createFlickrCsvReader(options?: Options): FormatReader {
  const common = commonOptions(options);
  const only = optStrings(options, 'files');
  const imageDir = optString(options, 'imageDir');
  return {
    format: 'flickr-csv',
    async *read(opts: ReadOptions): AsyncGenerator<ReadItem> {
      const base = datasetBaseDir(opts.root);
      const files =
        only ??
        ((await stat(opts.root)).isFile()
          ? [path.basename(opts.root)]
          : await topLevelFiles(base, (n) => FLICKR_CSV_FILE.test(n), 1));
      const progress = new ProgressTicker(opts.onProgress, files.length);
      for (let unit = 0; unit < files.length; unit++) {
        if (unit < (opts.startUnit ?? 0)) {
          progress.unitsDone++;
          continue;
        }
        const fileRel = files[unit]!;
        const file = path.join(base, fileRel);
        const firstLine =
          (await readHead(file, 4096))
            .toString('utf8')
            .replace(/^\uFEFF/, '')
            .split(/\r?\n/)[0] ?? '';
        const layout = flickrCsvLayout(firstLine);
        if (!layout) {
          const key = `${fileRel}#unreadable`;
          const error = pairError(
            'malformed_record',
            `${fileRel}: header "${firstLine.slice(0, 80)}" is not image,caption or image_name| comment_number| comment`,
          );
          yield { record: { key, imageKey: key, image: { kind: 'none' }, caption: null, error }, unit };
          progress.unitDone();
          continue;
        }
        const pending = placeImages(
          base,
          flickrCsvPairs(file, fileRel, layout, unit),
          ['Images', 'images', 'flickr30k_images', 'flickr30k-images', 'Flicker8k_Dataset'],
          imageDir,
        );
        let n = 0;
        for await (const item of resolvePairs(base, pending, common.maxPixels, common.concurrency)) {
          yield item;
          if ((++n & 1023) === 0) {
            opts.signal?.throwIfAborted();
            progress.tick();
          }
        }
        progress.unitDone();
      }
    },
  };
}
