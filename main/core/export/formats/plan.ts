// Before anything is written: can this format carry these pairs? A refusal names how many
// pairs are in the way and which format to use instead.
import { ExportError } from '../errors';
import type { KeptProfile } from '../kept-pairs';
import type { ExportRunOptions, SubsetFormat } from '../types';
import { DEFAULT_SHARD_SIZE } from './webdataset';

export interface SubsetPlan {
  format: SubsetFormat;
  keys: 'index' | 'original';
  shardSize: number;
  imagePaths: 'absolute' | 'relative';
  verifyFiles: boolean;
}

const n = (p: KeptProfile, kind: string) => p.okByKind[kind] ?? 0;

function refuse(message: string): never {
  throw new ExportError('refused', message);
}

/** The subset format a WFPP schedule uses when none is asked for: what the images allow. */
export function defaultSubsetFormat(p: KeptProfile): SubsetFormat {
  if (n(p, 'tar') + n(p, 'parquet') > 0) return 'webdataset';
  if (n(p, 'file') > 0) return 'openclip-tsv';
  if (n(p, 'url') > 0 || p.meta - p.metaWithoutUrl > 0) return 'urls-tsv';
  return 'uids';
}

export function planSubset(format: SubsetFormat, p: KeptProfile, opts: ExportRunOptions): SubsetPlan {
  const shardSize = opts.shardSize ?? DEFAULT_SHARD_SIZE;
  if (!Number.isInteger(shardSize) || shardSize < 1)
    refuse(`the shard size must be a whole number ≥ 1, got ${shardSize}`);
  let keys: SubsetPlan['keys'] = opts.keys === 'original' ? 'original' : 'index';
  if ((opts.keys ?? 'auto') === 'auto') keys = p.okUnsafeKeys === 0 ? 'original' : 'index';
  const plan: SubsetPlan = {
    format,
    keys,
    shardSize,
    imagePaths: opts.imagePaths ?? 'absolute',
    verifyFiles: opts.verifyFiles ?? true,
  };
  const onDisk = n(p, 'file') + n(p, 'tar') + n(p, 'parquet');
  switch (format) {
    case 'blip-json':
    case 'openclip-tsv': {
      const trainer = format === 'blip-json' ? 'BLIP' : 'open_clip';
      const inside = n(p, 'tar') + n(p, 'parquet');
      if (inside > 0) {
        const where = [
          n(p, 'tar') && `${n(p, 'tar')} in tar shards`,
          n(p, 'parquet') && `${n(p, 'parquet')} in parquet files`,
        ]
          .filter(Boolean)
          .join(', ');
        refuse(
          `${inside} of the ${p.kept} kept pairs have their image inside a container (${where}), so there is no file path ${trainer} could open. Export 'webdataset' instead: it copies the image bytes into new shards that open_clip reads directly (BLIP needs a webdataset loader for them).`,
        );
      }
      if (n(p, 'file') === 0) {
        refuse(
          n(p, 'url') > 0
            ? `the kept pairs' images are not on disk: only their URLs are known. Export 'urls-tsv' and download them with img2dataset first.`
            : `none of the ${p.kept} kept pairs has a readable image file (they were indexed with errors); there is nothing to list.`,
        );
      }
      break;
    }
    case 'webdataset':
      if (onDisk === 0) {
        refuse(
          n(p, 'url') > 0
            ? `the kept pairs' images are not on disk: only their URLs are known, so there are no bytes to put in shards. Export 'urls-tsv' and let img2dataset download them (it writes webdataset shards itself).`
            : `none of the ${p.kept} kept pairs has a readable image (they were indexed with errors); there is nothing to put in shards.`,
        );
      }
      if (opts.keys === 'original' && p.okUnsafeKeys > 0) {
        refuse(
          `${p.okUnsafeKeys} kept pairs have keys that cannot name tar members (only letters, digits, '_' and '-', at most 64). Use keys 'auto' or 'index' (9-digit running numbers; the original key is kept in each sample's json).`,
        );
      }
      break;
    case 'uids':
      if (p.meta === 0)
        refuse(`none of the ${p.kept} kept pairs is usable (all were indexed with record errors).`);
      if (p.metaWithoutUid > 0) {
        refuse(
          `${p.metaWithoutUid} of the ${p.meta} kept pairs have no uid. DataComp's subset file selects samples by uid, so every pair needs one: this dataset's source does not carry a uid for them (img2dataset keeps it with --save_additional_columns '["uid"]'). Export 'webdataset' or 'urls-tsv' instead.`,
        );
      }
      break;
    case 'urls-tsv':
      if (p.meta - p.metaWithoutUrl === 0) {
        refuse(
          `none of the ${p.kept} kept pairs has a URL, so there is nothing for img2dataset to download. Export 'blip-json', 'openclip-tsv' or 'webdataset' instead.`,
        );
      }
      break;
  }
  return plan;
}
