import { datasetBaseDir } from '../../core/dataset/base-dir';
import { isImageError } from '../../core/image/errors';
import { getThumbnail } from '../../core/image/thumbnail';
import { getPairBySeq } from '../../core/store/pairs';
import { ApiError } from '../contract';
import { requireDataset } from './datasets';
import type { Handler } from './types';

export const thumbnail: Handler<'media.thumbnail'> = async (ctx, i) => {
  const d = requireDataset(ctx, i.datasetId);
  const p = getPairBySeq(ctx.db, d.id, i.seq);
  if (!p) throw new ApiError('not_found', `no pair ${i.seq} in dataset ${d.id}`);
  if (p.image.kind === 'url' || p.image.kind === 'none') {
    throw new ApiError('not_found', `pair ${i.seq} has no image on disk`);
  }
  try {
    const path = await getThumbnail({
      workspace: ctx.workspace,
      datasetId: String(d.id),
      root: datasetBaseDir(d.root),
      ref: p.image,
      size: i.size ?? 256,
    });
    return { path };
  } catch (e) {
    if (isImageError(e)) throw new ApiError('not_found', e.message);
    throw e;
  }
};
