// Generic tables of image–caption rows: csv/tsv (+ .gz), layout from detection's options
// or sniffed from the first lines. Rows stream through csv-parse; memory stays flat.
// Rows whose image is a URL (CC3M, CC12M) get ImageRef kind 'url' and no header read.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { datasetBaseDir } from '../base-dir';
import { captionFromBytes } from '../caption';
import { readCsvRows } from '../csv-rows';
import { pairError } from '../errors';
import { resolvePairs, type PendingPair } from '../file-pairs';
import { placeImages, topLevelFiles } from '../json-dataset';
import { readHead } from '../lines';
import { ProgressTicker } from '../progress';
import { commonOptions, optBoolean, optNumber, optString, optStrings, type Options } from '../reader-options';
import { sniffTable, type TableLayout } from '../table-sniff';
import type { FormatReader, ReadItem, ReadOptions } from '../types';

export const TABLE_FILE = /\.(csv|tsv)(\.gz)?$/i;

/** The layout given in options, when complete. */
function layoutFromOptions(o: Options): TableLayout | undefined {
  const delimiter = optString(o, 'delimiter');
  const imageColumn = optNumber(o, 'imageColumn');
  const captionColumn = optNumber(o, 'captionColumn');
  if (delimiter === undefined || imageColumn === undefined || captionColumn === undefined) return undefined;
  return {
    delimiter,
    header: optBoolean(o, 'header') ?? false,
    imageColumn,
    captionColumn,
    keyColumn: optNumber(o, 'keyColumn'),
    imageIsUrl: optBoolean(o, 'imageIsUrl') ?? false,
    multiCaption: optBoolean(o, 'multiCaption') ?? false,
  };
}

/** Sniffs a table file's layout from its first 64 KiB. */
export async function sniffTableFile(file: string): Promise<ReturnType<typeof sniffTable>> {
  const head = await readHead(file, 64 * 1024);
  return sniffTable(new TextDecoder('utf-8').decode(head));
}

const asText = (b: Buffer | undefined): string => (b ? b.toString('utf8').trim() : '');

async function* tablePairs(
  file: string,
  fileRel: string,
  layout: TableLayout,
  unit: number,
  onBytes: (n: number) => void,
): AsyncGenerator<PendingPair> {
  const counts = layout.multiCaption ? new Map<string, number>() : undefined;
  const needed = Math.max(layout.imageColumn, layout.captionColumn) + 1;
  const rows = readCsvRows(
    file,
    {
      delimiter: layout.delimiter,
      quote: layout.delimiter === ',',
      trim: layout.delimiter === '|',
      skipLines: layout.header ? 1 : 0,
    },
    onBytes,
  );
  for await (const row of rows) {
    const where = `${fileRel}, line ${row.line}`;
    if ('error' in row) {
      const key = `${fileRel}#line${row.line}`;
      yield {
        key,
        imageKey: key,
        caption: { caption: null },
        error: pairError('malformed_record', `${where}: ${row.error}`),
        unit,
      };
      continue;
    }
    const cells = row.cells;
    if (cells.length < needed) {
      const key = `${fileRel}#line${row.line}`;
      const error = pairError(
        'malformed_record',
        `${where}: ${cells.length} column(s), expected at least ${needed}`,
      );
      yield { key, imageKey: key, caption: { caption: null }, error, unit };
      continue;
    }
    const imageValue = asText(cells[layout.imageColumn]);
    const caption = captionFromBytes(cells[layout.captionColumn]!, where);
    const keyValue = layout.keyColumn !== undefined ? asText(cells[layout.keyColumn]) : '';
    let key = keyValue || imageValue || `${fileRel}#line${row.line}`;
    if (counts && !keyValue) {
      const n = counts.get(key) ?? 0;
      counts.set(key, n + 1);
      key = `${key}#${n}`;
    }
    const pair: PendingPair = { key, imageKey: imageValue || key, caption, unit };
    if (imageValue === '') pair.error = pairError('missing_image', `${where}: the image cell is empty`);
    else if (layout.imageIsUrl || /^https?:\/\//i.test(imageValue)) pair.url = imageValue;
    else pair.image = imageValue;
    yield pair;
  }
}

export function createTableReader(options?: Options): FormatReader {
  const common = commonOptions(options);
  const given = layoutFromOptions(options);
  const only = optStrings(options, 'files');
  const imageDir = optString(options, 'imageDir');
  return {
    format: 'table',
    async *read(opts: ReadOptions): AsyncGenerator<ReadItem> {
      const base = datasetBaseDir(opts.root);
      const st = await stat(opts.root);
      const files =
        only ??
        (st.isFile() ? [path.basename(opts.root)] : await topLevelFiles(base, (n) => TABLE_FILE.test(n)));
      const sizes = await Promise.all(
        files.map((f) =>
          stat(path.join(base, f)).then(
            (s) => s.size,
            () => 0,
          ),
        ),
      );
      const progress = new ProgressTicker(
        opts.onProgress,
        files.length,
        sizes.reduce((a, b) => a + b, 0),
      );
      for (let unit = 0; unit < files.length; unit++) {
        if (unit < (opts.startUnit ?? 0)) {
          progress.unitsDone++;
          progress.bytesDone += sizes[unit] ?? 0;
          continue;
        }
        const fileRel = files[unit]!;
        const file = path.join(base, fileRel);
        let layout = given;
        if (!layout) {
          const sniffed = await sniffTableFile(file);
          if ('problem' in sniffed) {
            const key = `${fileRel}#unreadable`;
            yield {
              record: {
                key,
                imageKey: key,
                image: { kind: 'none' },
                caption: null,
                error: pairError('malformed_record', `${fileRel}: ${sniffed.problem}`),
              },
              unit,
            };
            progress.unitDone();
            continue;
          }
          layout = sniffed.layout;
        }
        const pending = placeImages(
          base,
          tablePairs(file, fileRel, layout, unit, (n) => (progress.bytesDone += n)),
          ['images', 'image', 'imgs'],
          layout.imageIsUrl ? '' : imageDir,
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
