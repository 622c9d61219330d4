// exportRun: a run's kept pairs → a trainer's format, in a new folder with a manifest.
// Order: refuse early (run, format vs data, target folder), write everything under a
// partial name, write the manifest last, rename into place, record it. Any failure removes
// the partial folder, so a folder with a manifest is always a complete export.
import { statfs } from 'node:fs/promises';
import path from 'node:path';
import { datasetBaseDir } from '../dataset/base-dir';
import { getDataset } from '../store/datasets';
import { getRun } from '../store/runs';
import { datasetCounts } from '../store/stats';
import { CaptionChooser } from './captions';
import { ExportError, FileWriteError, formatBytes, isDiskFull, messageOf } from './errors';
import { nodeIo, StagedFiles } from './export-io';
import { recordExport } from './exports-table';
import type { WriteContext, WriteOutcome, WriteTarget } from './formats/context';
import { defaultSubsetFormat, planSubset, type SubsetPlan } from './formats/plan';
import { FULL_LIST_FORMATS, FULL_PREFIX, KEPT_PREFIX, writeWfppSchedule } from './formats/wfpp-schedule';
import { writeSubset } from './formats/write-subset';
import { allPairSource, keptPairSource, profileKept } from './kept-pairs';
import { buildManifest, MANIFEST_FILE } from './manifest';
import { SkipLog, SKIPPED_FILE } from './skip-log';
import {
  checkTarget,
  commitStaging,
  defaultExportDir,
  discardStaging,
  openStaging,
  releaseStaging,
} from './staging';
import { EXPORT_FORMATS, type ExportResult, type ExportRunOptions } from './types';

function refuse(message: string): never {
  throw new ExportError('refused', message);
}

/** What a full disk message reports: bytes written before it, the estimate of the whole, the space left. */
interface SpaceFacts {
  written: number;
  /** About what the export needs in all (known when it copies the images). */
  needed?: number | undefined;
}

/** Free bytes on the file system holding `dir` (its nearest existing ancestor), if it can be read. */
async function freeBytes(dir: string): Promise<number | undefined> {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      const s = await statfs(d);
      return s.bavail * s.bsize;
    } catch {
      if (path.dirname(d) === d) return undefined;
    }
  }
}

async function diskFullDetail(dir: string, space: SpaceFacts): Promise<string> {
  const free = await freeBytes(dir);
  const parts = [`${formatBytes(space.written)} had been written`];
  if (space.needed !== undefined) parts.push(`the export needs about ${formatBytes(space.needed)}`);
  if (free !== undefined) parts.push(`${formatBytes(free)} is free there now`);
  return parts.join(', ');
}

/** The error a caller sees when writing failed: what happened, and that nothing was left behind. */
async function failure(
  e: unknown,
  dir: string,
  cleanup: string | undefined,
  signal?: AbortSignal,
  space?: SpaceFacts,
): Promise<ExportError> {
  const left = cleanup ?? 'nothing was left behind';
  const file = e instanceof FileWriteError ? e.file : undefined;
  if (signal?.aborted)
    return new ExportError('cancelled', `the export to ${dir} was cancelled; ${left}`, { cause: e });
  if (isDiskFull(e)) {
    const detail = space ? ` (${await diskFullDetail(dir, space)})` : '';
    return new ExportError(
      'disk_full',
      `the disk is full: writing ${file ?? 'the export'} in ${dir} failed${detail}; ${left}. Free some space (or choose another disk) and export again.`,
      { cause: e },
    );
  }
  if (e instanceof ExportError) return new ExportError(e.kind, `${e.message}; ${left}`, { cause: e });
  const cause = e instanceof FileWriteError ? e.cause : e;
  return new ExportError(
    'failed',
    `the export to ${dir} failed${file ? ` while writing ${file}` : ''}: ${messageOf(cause)}; ${left}`,
    { cause: e },
  );
}

export async function exportRun(opts: ExportRunOptions): Promise<ExportResult> {
  const { db } = opts;
  const now = opts.now?.() ?? new Date();
  if (!(EXPORT_FORMATS as readonly string[]).includes(opts.format)) {
    refuse(`unknown export format "${opts.format}"; one of ${EXPORT_FORMATS.join(', ')}`);
  }
  const run = getRun(db, opts.runId) ?? refuse(`no run with id ${opts.runId}`);
  if (run.state !== 'done')
    refuse(`run ${run.id} (${run.label}) is ${run.state}; only a finished run can be exported`);
  const dataset = getDataset(db, run.datasetId) ?? refuse(`the dataset of run ${run.id} is gone`);
  const captions = opts.captions ?? 'original';

  let profile;
  try {
    profile = await profileKept(db, run.id, dataset.id, opts.signal);
  } catch (e) {
    if (opts.signal?.aborted) {
      throw new ExportError('cancelled', 'the export was cancelled before anything was written', {
        cause: e,
      });
    }
    throw e;
  }
  if (profile.kept === 0) refuse(`run ${run.id} (${run.label}) kept no pairs; there is nothing to export`);
  const subsetFormat =
    opts.format === 'wfpp-schedule' ? (opts.subsetFormat ?? defaultSubsetFormat(profile)) : opts.format;
  if (subsetFormat === ('wfpp-schedule' as string))
    refuse('a WFPP schedule cannot carry its subset as another schedule');
  const plan: SubsetPlan = planSubset(subsetFormat, profile, opts);
  const fullList = opts.format === 'wfpp-schedule' && opts.fullSetList === true;
  if (fullList && !FULL_LIST_FORMATS.has(plan.format)) {
    refuse(
      `the full-set list can be written for blip-json, openclip-tsv or urls-tsv subsets, not ${plan.format} (it would copy or re-list every pair); the schedule references the full dataset instead`,
    );
  }

  const dir = path.resolve(
    opts.outDir ?? defaultExportDir(opts.workspace, dataset.id, run.id, opts.format, now),
  );
  const overwrite = opts.overwrite === true;
  await checkTarget(dir, {
    overwrite,
    protect: [
      { path: datasetBaseDir(dataset.root), what: 'the dataset folder', noneInside: true },
      { path: path.join(path.resolve(opts.workspace), 'tldr-studio.db'), what: 'the workspace index' },
    ],
    ours: [path.resolve(opts.workspace)],
  });

  const notes: string[] = [];
  const refinedCount = (
    db.prepare(`SELECT COUNT(*) AS n FROM refined_captions WHERE run_id = ?`).get(run.id) as { n: number }
  ).n;
  if (captions === 'refined' && refinedCount === 0) {
    notes.push('Refined captions were asked for, but this run has none: the original captions were written.');
  }

  const counts = datasetCounts(db, dataset.id);
  let partial: string;
  try {
    partial = await openStaging(dir);
    opts.onStaging?.(partial);
  } catch (e) {
    throw e instanceof ExportError ? e : await failure(e, dir, undefined, opts.signal, { written: 0 });
  }
  const staged = new StagedFiles(partial, opts.io ?? nodeIo);
  const ctx: WriteContext = {
    db,
    dataset,
    runId: run.id,
    staged,
    notes,
    signal: opts.signal,
    now,
    memberTime: new Date(run.createdAt),
    progress: (stage, done, total) => opts.onProgress?.({ stage, done, total }),
  };
  const chooser = new CaptionChooser(captions);
  const skips = new SkipLog(staged, SKIPPED_FILE);
  let outcome: WriteOutcome;
  let fullOutcome: { written: number; skippedByReason: Record<string, number> } | undefined;
  let manifest;
  try {
    const kept: WriteTarget = {
      prefix: opts.format === 'wfpp-schedule' ? KEPT_PREFIX : '',
      source: keptPairSource(db, run.id, dataset.id),
      captions: chooser,
      skips,
      stage: 'write',
    };
    if (opts.format === 'wfpp-schedule') {
      const fullSkips = new SkipLog(staged, `${FULL_PREFIX}${SKIPPED_FILE}`);
      const full: WriteTarget | undefined = fullList
        ? {
            prefix: FULL_PREFIX,
            source: allPairSource(db, dataset.id),
            captions: new CaptionChooser('original'),
            skips: fullSkips,
            stage: 'full-set',
          }
        : undefined;
      const r = await writeWfppSchedule(ctx, kept, plan, { run, counts, full, schedule: opts.schedule });
      await fullSkips.close();
      outcome = r;
      if (r.full) fullOutcome = { written: r.full.written, skippedByReason: fullSkips.byReason };
    } else {
      outcome = await writeSubset(ctx, kept, plan);
    }
    await skips.close();
    if (outcome.written === 0) {
      const why = Object.entries(skips.byReason)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ');
      throw new ExportError('failed', `none of the ${profile.kept} kept pairs could be written (${why})`);
    }
    opts.signal?.throwIfAborted();
    ctx.progress('finish', 0, 1);
    manifest = buildManifest({
      createdAt: now,
      format: opts.format,
      options: {
        captions,
        ...(opts.format === 'wfpp-schedule' ? { subsetFormat: plan.format, fullSetList: fullList } : {}),
        ...(plan.format === 'webdataset' ? { shardSize: plan.shardSize, keys: plan.keys } : {}),
        ...(plan.format === 'blip-json' || plan.format === 'openclip-tsv'
          ? { imagePaths: plan.imagePaths, verifyFiles: plan.verifyFiles }
          : {}),
        ...(opts.schedule ? { schedule: opts.schedule } : {}),
      },
      dataset,
      counts,
      run,
      kept: profile.kept,
      written: outcome.written,
      skippedByReason: skips.byReason,
      skippedExamples: skips.examples,
      captions: plan.format === 'uids' ? undefined : chooser.summary(),
      details: {
        entry: outcome.entry,
        ...outcome.details,
        ...(fullOutcome ? { fullSetList: fullOutcome } : {}),
      },
      notes,
      files: staged.files,
    });
    await staged.writeWhole(MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
    opts.signal?.throwIfAborted();
    await commitStaging(partial, dir, overwrite);
  } catch (e) {
    await staged.abandonAll();
    const written = staged.bytesWritten;
    const cleanup = await discardStaging(partial);
    throw await failure(e, dir, cleanup, opts.signal, {
      written,
      // A webdataset copies every image: at least their bytes, plus ~1.5 KiB of tar headers and text each.
      needed: plan.format === 'webdataset' ? profile.okImageBytes + 1536 * profile.kept : undefined,
    });
  } finally {
    releaseStaging(dir);
  }
  ctx.progress('finish', 1, 1);
  const exportId = recordExport(db, run.id, opts.format, dir, manifest);
  return {
    exportId,
    folder: dir,
    format: opts.format,
    kept: profile.kept,
    written: outcome.written,
    skipped: skips.total,
    skippedByReason: skips.byReason,
    files: staged.files,
    manifest,
  };
}
