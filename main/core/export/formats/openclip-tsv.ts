// open_clip's CsvDataset: a tab-separated file with `filepath` and `title` columns.
import { tsvExact, tsvField } from '../tsv';
import type { WriteContext, WriteOutcome, WriteTarget } from './context';
import { imageRoot, writePathList, type PathListOptions } from './path-list';

export const OPENCLIP_FILE = 'openclip.tsv';

export async function writeOpenclipTsv(
  ctx: WriteContext,
  t: WriteTarget,
  opts: PathListOptions,
): Promise<WriteOutcome> {
  const written = await writePathList(
    ctx,
    t,
    {
      file: OPENCLIP_FILE,
      begin: 'filepath\ttitle\n',
      row: (image, caption) => {
        const p = tsvExact(image);
        return p === undefined ? undefined : `${p}\t${tsvField(caption)}\n`;
      },
      end: '',
    },
    opts,
  );
  return {
    written,
    entry: `${t.prefix}${OPENCLIP_FILE}`,
    details: {
      imagePaths: opts.imagePaths,
      ...(opts.imagePaths === 'relative' ? { imageRoot: imageRoot(ctx) } : {}),
      trainer: `open_clip: --train-data <this folder>/${t.prefix}${OPENCLIP_FILE} --dataset-type csv --csv-img-key filepath --csv-caption-key title --csv-separator "\\t"${
        opts.imagePaths === 'relative' ? ` (run it from ${imageRoot(ctx)}: the paths are relative to it)` : ''
      }`,
    },
  };
}
