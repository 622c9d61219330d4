// open_clip's webdataset input: new shards `NNNNN.tar` of `<key>.<ext>/.json/.txt`, the image
// bytes copied from wherever they live (file, tar member, parquet cell) without re-encoding,
// plus `sizes.json` {shard: count} (open_clip reads it for the dataset size), img2dataset-style
// `NNNNN_stats.json` per shard, and `_stats.json` for the whole export.
import { createHash } from 'node:crypto';
import type { ExportPair } from '../kept-pairs';
import { readPairImage, type ImageRead } from '../image-source';
import { prefetchOrdered } from '../prefetch';
import { skipIndexError, ticker, type WriteContext, type WriteOutcome, type WriteTarget } from './context';
import { TarShard } from './tar-shard';

export const DEFAULT_SHARD_SIZE = 10_000;
export const SIZES_FILE = 'sizes.json';
export const STATS_FILE = '_stats.json';
/** Image reads in flight while the previous sample is written. */
const READ_AHEAD = 4;
/** Extensions open_clip's default pipeline decodes ("jpg;png;jpeg;webp"). */
const OPENCLIP_EXTS = new Set(['jpg', 'png', 'webp']);

export interface WebdatasetOptions {
  shardSize: number;
  keys: 'index' | 'original';
}

export function shardName(i: number): string {
  return String(i).padStart(5, '0');
}

export function indexKey(i: number): string {
  return String(i).padStart(9, '0');
}

export async function writeWebdataset(
  ctx: WriteContext,
  t: WriteTarget,
  opts: WebdatasetOptions,
): Promise<WriteOutcome> {
  const sizes: Record<string, number> = {};
  const tick = ticker(ctx, t, 64);
  let shard: TarShard | undefined;
  let shardIndex = 0;
  let written = 0;
  let done = 0;
  const otherExts: Record<string, number> = {};

  const closeShard = async () => {
    if (!shard) return;
    const s = shard;
    shard = undefined;
    await s.finish();
    await s.out.close();
    const name = shardName(shardIndex);
    sizes[`${name}.tar`] = s.count;
    await ctx.staged.writeWhole(
      `${t.prefix}${name}_stats.json`,
      JSON.stringify({
        count: s.count,
        successes: s.count,
        failed_to_download: 0,
        failed_to_resize: 0,
        status_dict: { success: s.count },
      }),
    );
    shardIndex++;
  };

  const read = async (p: ExportPair): Promise<ImageRead | undefined> =>
    p.pair.status === 'ok' ? readPairImage(ctx.dataset.root, p.pair) : undefined;

  try {
    for await (const { item: p, result } of prefetchOrdered(t.source.pairs(), READ_AHEAD, read)) {
      const s = p.pair;
      tick(++done);
      if (await skipIndexError(t, p, true)) continue;
      if (!result) continue; // unreachable: non-ok pairs were skipped above
      if ('skip' in result) {
        await t.skips.skip(s.seq, s.key, result.skip.reason, result.skip.message);
        continue;
      }
      const caption = t.captions.choose(p);
      if (!caption) {
        await t.skips.skip(s.seq, s.key, 'missing_caption', 'the pair has no caption');
        continue;
      }
      const key = opts.keys === 'original' ? s.key : indexKey(written);
      const sha256 = createHash('sha256').update(result.bytes).digest('hex');
      const meta: Record<string, unknown> = {
        key,
        original_key: s.key,
        caption: caption.text,
        ...(caption.refined && s.caption !== null ? { original_caption: s.caption } : {}),
        uid: s.uid,
        url: s.url,
        width: s.width,
        height: s.height,
        sha256,
        ...(s.hash !== null && s.hash !== sha256 ? { source_hash: s.hash } : {}),
        status: 'success',
      };
      if (!OPENCLIP_EXTS.has(result.ext)) otherExts[result.ext] = (otherExts[result.ext] ?? 0) + 1;
      if (!shard)
        shard = new TarShard(
          await ctx.staged.create(`${t.prefix}${shardName(shardIndex)}.tar`),
          ctx.memberTime,
        );
      await shard.add([
        { name: `${key}.${result.ext}`, data: result.bytes },
        { name: `${key}.json`, data: Buffer.from(JSON.stringify(meta), 'utf8') },
        { name: `${key}.txt`, data: Buffer.from(caption.text, 'utf8') },
      ]);
      t.captions.count(p, caption);
      written++;
      if (shard.count >= opts.shardSize) await closeShard();
    }
    await closeShard();
  } catch (e) {
    shard?.abort();
    throw e;
  }

  const shards = Object.keys(sizes).length;
  await ctx.staged.writeWhole(`${t.prefix}${SIZES_FILE}`, `${JSON.stringify(sizes, null, 1)}\n`);
  const stats = {
    format: 'webdataset',
    shards,
    samples: written,
    shardSize: opts.shardSize,
    keys: opts.keys,
    members: ['<image>', 'json', 'txt'],
    ...(Object.keys(otherExts).length ? { imagesOpenClipDoesNotDecode: otherExts } : {}),
  };
  await ctx.staged.writeWhole(`${t.prefix}${STATS_FILE}`, `${JSON.stringify(stats, null, 1)}\n`);
  if (Object.keys(otherExts).length) {
    ctx.notes.push(
      `Some images are neither jpg, png nor webp (${Object.entries(otherExts)
        .map(([e, n]) => `${n} ${e}`)
        .join(', ')}); they are copied as they are, and open_clip's default loader skips them.`,
    );
  }
  const last = shards > 0 ? shardName(shards - 1) : shardName(0);
  return {
    written,
    entry: t.prefix || '.',
    details: {
      shards,
      shardSize: opts.shardSize,
      keys: opts.keys,
      sizes: SIZES_FILE,
      trainer: `open_clip: --train-data '<this folder>/${t.prefix}{${shardName(0)}..${last}}.tar' --dataset-type webdataset --train-num-samples ${written}`,
    },
  };
}
