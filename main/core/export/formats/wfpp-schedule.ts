// WFPP's recipe (Liang & Larson 2024): pre-train on the kept subset, then one epoch on the
// full set at lr 1e-5 with a 0.1-epoch warm-up. Exported as the kept subset (in a trainer
// format, under kept/), a reference to the full set (optionally its list too, under full/),
// and schedule.json with both stages.
import { wfppSchedule } from '../../methods/wfpp';
import type { DatasetCounts } from '../../store/stats';
import type { RunRow } from '../../store/runs';
import type { WriteContext, WriteOutcome, WriteTarget } from './context';
import type { SubsetPlan } from './plan';
import { writeSubset } from './write-subset';

export const SCHEDULE_FILE = 'schedule.json';
export const KEPT_PREFIX = 'kept/';
export const FULL_PREFIX = 'full/';

/** Formats whose full-set list is cheap (paths or URLs; never a copy of every image). */
export const FULL_LIST_FORMATS = new Set<SubsetPlan['format']>(['blip-json', 'openclip-tsv', 'urls-tsv']);

export async function writeWfppSchedule(
  ctx: WriteContext,
  kept: WriteTarget,
  plan: SubsetPlan,
  a: {
    run: RunRow;
    counts: DatasetCounts;
    full?: WriteTarget | undefined;
    schedule?: { pretrainEpochs?: number; finetuneLr?: number; warmupEpochs?: number } | undefined;
  },
): Promise<WriteOutcome & { full?: WriteOutcome }> {
  if (a.run.method !== 'wfpp') {
    ctx.notes.push(
      `The run's method is "${a.run.method}", not WFPP; the WFPP schedule was exported as asked.`,
    );
  }
  const subset = await writeSubset(ctx, kept, plan);
  const full = a.full ? await writeSubset(ctx, a.full, plan) : undefined;
  const schedule = wfppSchedule(a.schedule ?? {});
  const fullSet = {
    datasetRoot: ctx.dataset.root,
    datasetFormat: ctx.dataset.format,
    pairs: a.counts.pairs,
    usablePairs: a.counts.ok,
    ...(full ? { list: full.entry, listPairs: full.written } : {}),
  };
  const doc = {
    method: 'wfpp',
    reference:
      'Liang & Larson (2024), word-frequency-based pruning; schedule from the paper: full-set epoch after pruned pre-training.',
    run: { id: a.run.id, label: a.run.label, params: a.run.params },
    subset: { format: plan.format, path: subset.entry, pairs: subset.written },
    fullSet,
    stages: schedule.stages.map((s) => ({
      ...s,
      ...(s.data === 'kept'
        ? { path: subset.entry }
        : full
          ? { path: full.entry }
          : { datasetRoot: ctx.dataset.root }),
    })),
  };
  await ctx.staged.writeWhole(SCHEDULE_FILE, `${JSON.stringify(doc, null, 2)}\n`);
  return {
    written: subset.written,
    entry: SCHEDULE_FILE,
    details: {
      schedule: SCHEDULE_FILE,
      subsetFormat: plan.format,
      subset: subset.details,
      fullSet,
      stages: doc.stages,
    },
    ...(full ? { full } : {}),
  };
}
