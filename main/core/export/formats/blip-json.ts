// BLIP / ALBEF / LAVIS: `[{"image": path, "caption": text}]`, TL;DR's own output. BLIP's
// pre-training loader opens `image` as written, so paths are absolute by default.
import type { WriteContext, WriteOutcome, WriteTarget } from './context';
import { imageRoot, writePathList, type PathListOptions } from './path-list';

export const BLIP_FILE = 'blip.json';

export async function writeBlipJson(
  ctx: WriteContext,
  t: WriteTarget,
  opts: PathListOptions,
): Promise<WriteOutcome> {
  const written = await writePathList(
    ctx,
    t,
    {
      file: BLIP_FILE,
      begin: '[',
      row: (image, caption, first) => `${first ? '\n' : ',\n'}${JSON.stringify({ image, caption })}`,
      end: '\n]\n',
    },
    opts,
  );
  return {
    written,
    entry: `${t.prefix}${BLIP_FILE}`,
    details: {
      imagePaths: opts.imagePaths,
      ...(opts.imagePaths === 'relative' ? { imageRoot: imageRoot(ctx) } : {}),
      trainer:
        opts.imagePaths === 'absolute'
          ? `BLIP: list ${BLIP_FILE} under train_file in configs/pretrain.yaml (its loader truncates captions to 30 words).`
          : `LAVIS/ALBEF: set image_root to ${imageRoot(ctx)} and point the annotation file at ${BLIP_FILE}.`,
    },
  };
}
