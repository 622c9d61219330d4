import { topWords, wordTotals } from '../../core/store/pairs';
import { requireDataset } from './datasets';
import type { Handler } from './types';

export const top: Handler<'words.top'> = (ctx, input) => {
  requireDataset(ctx, input.datasetId);
  const totals = wordTotals(ctx.db, input.datasetId);
  const words = topWords(ctx.db, input.datasetId, input.limit ?? 1000).map((w, i) => ({ ...w, rank: i + 1 }));
  return { ...totals, words };
};
