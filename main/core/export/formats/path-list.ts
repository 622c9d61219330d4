// Lists that point at the original image files by path (BLIP json, open_clip TSV): nothing
// is copied, so each file is checked to still be there, with its indexed size.
import { datasetBaseDir } from '../../dataset/base-dir';
import { checkImageFile } from '../image-source';
import type { ExportPair } from '../kept-pairs';
import { prefetchOrdered } from '../prefetch';
import { skipIndexError, ticker, type WriteContext, type WriteTarget } from './context';

export interface PathListOptions {
  imagePaths: 'absolute' | 'relative';
  verifyFiles: boolean;
}

export interface PathListFormat {
  file: string;
  begin: string;
  /** One entry; `first` is true for the first written. Undefined = the path cannot be written (skipped). */
  row(image: string, caption: string, first: boolean): string | undefined;
  end: string;
}

const STAT_CONCURRENCY = 8;

export async function writePathList(
  ctx: WriteContext,
  t: WriteTarget,
  format: PathListFormat,
  opts: PathListOptions,
): Promise<number> {
  const out = await ctx.staged.create(`${t.prefix}${format.file}`);
  await out.write(format.begin);
  const tick = ticker(ctx, t);
  let done = 0;
  let written = 0;
  const check = async (p: ExportPair) =>
    p.pair.status === 'ok' && p.pair.image.kind === 'file'
      ? checkImageFile(ctx.dataset.root, p.pair, opts.verifyFiles)
      : undefined;
  for await (const { item: p, result } of prefetchOrdered(t.source.pairs(), STAT_CONCURRENCY, check)) {
    const s = p.pair;
    tick(++done);
    if (await skipIndexError(t, p, true)) continue;
    if (!result) {
      const what =
        s.image.kind === 'url' ? 'only a URL is known' : `the image is in a ${s.image.kind} container`;
      await t.skips.skip(s.seq, s.key, 'no_image_file', `${what}; this format needs an image file path`);
      continue;
    }
    if ('skip' in result) {
      await t.skips.skip(s.seq, s.key, result.skip.reason, result.skip.message);
      continue;
    }
    const caption = t.captions.choose(p);
    if (!caption) {
      await t.skips.skip(s.seq, s.key, 'missing_caption', 'the pair has no caption');
      continue;
    }
    const image = opts.imagePaths === 'absolute' ? result.abs : s.image.kind === 'file' ? s.image.path : '';
    const row = format.row(image, caption.text, written === 0);
    if (row === undefined) {
      await t.skips.skip(
        s.seq,
        s.key,
        'unwritable_path',
        `the path ${JSON.stringify(image)} has a tab, line break or leading quote`,
      );
      continue;
    }
    await out.write(row);
    t.captions.count(p, caption);
    written++;
  }
  await out.write(format.end);
  await out.close();
  return written;
}

/** Where relative image paths are relative to. */
export function imageRoot(ctx: WriteContext): string {
  return datasetBaseDir(ctx.dataset.root);
}
