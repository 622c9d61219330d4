// img2dataset's input for "prune before downloading": `url<TAB>caption` with a header.
import { tsvExact, tsvField } from '../tsv';
import { skipIndexError, ticker, type WriteContext, type WriteOutcome, type WriteTarget } from './context';

export const URLS_FILE = 'urls.tsv';

export async function writeUrlsTsv(ctx: WriteContext, t: WriteTarget): Promise<WriteOutcome> {
  const out = await ctx.staged.create(`${t.prefix}${URLS_FILE}`);
  await out.write('url\tcaption\n');
  const tick = ticker(ctx, t);
  let done = 0;
  let written = 0;
  for (const p of t.source.pairs()) {
    const s = p.pair;
    tick(++done);
    if (await skipIndexError(t, p, false)) continue;
    const url = s.url ?? (s.image.kind === 'url' ? s.image.url : null);
    if (!url) {
      await t.skips.skip(s.seq, s.key, 'no_url', 'the pair has no URL');
      continue;
    }
    const cell = tsvExact(url);
    if (cell === undefined) {
      await t.skips.skip(
        s.seq,
        s.key,
        'unwritable_url',
        `the URL ${JSON.stringify(url)} has a tab, line break or leading quote`,
      );
      continue;
    }
    const caption = t.captions.choose(p);
    if (!caption) {
      await t.skips.skip(s.seq, s.key, 'missing_caption', 'the pair has no caption');
      continue;
    }
    await out.write(`${cell}\t${tsvField(caption.text)}\n`);
    t.captions.count(p, caption);
    written++;
  }
  await out.close();
  const entry = `${t.prefix}${URLS_FILE}`;
  return {
    written,
    entry,
    details: {
      trainer: `img2dataset --url_list ${entry} --input_format tsv --url_col url --caption_col caption --output_format webdataset --output_folder <where the images go>`,
    },
  };
}
