// Dispatch of one list of pairs to its format's writer.
import { writeBlipJson } from './blip-json';
import type { WriteContext, WriteOutcome, WriteTarget } from './context';
import { writeOpenclipTsv } from './openclip-tsv';
import type { SubsetPlan } from './plan';
import { writeUids } from './uids';
import { writeUrlsTsv } from './urls-tsv';
import { writeWebdataset } from './webdataset';

export function writeSubset(ctx: WriteContext, t: WriteTarget, plan: SubsetPlan): Promise<WriteOutcome> {
  const paths = { imagePaths: plan.imagePaths, verifyFiles: plan.verifyFiles };
  switch (plan.format) {
    case 'blip-json':
      return writeBlipJson(ctx, t, paths);
    case 'openclip-tsv':
      return writeOpenclipTsv(ctx, t, paths);
    case 'webdataset':
      return writeWebdataset(ctx, t, { shardSize: plan.shardSize, keys: plan.keys });
    case 'uids':
      return writeUids(ctx, t);
    case 'urls-tsv':
      return writeUrlsTsv(ctx, t);
  }
}
