// What every format writer gets: where to write, what to write, and where skips go.
import type { DatasetRow } from '../../store/datasets';
import type { Db } from '../../store/db';
import type { CaptionChooser } from '../captions';
import type { StagedFiles } from '../export-io';
import type { ExportPair, PairSource } from '../kept-pairs';
import type { SkipLog } from '../skip-log';
import { IMAGE_ONLY_ERRORS } from '../kept-pairs';
import type { ExportProgress } from '../types';

export interface WriteContext {
  db: Db;
  dataset: DatasetRow;
  runId: number;
  staged: StagedFiles;
  notes: string[];
  signal?: AbortSignal | undefined;
  progress: (stage: ExportProgress['stage'], done: number, total: number) => void;
  /** The export's time (the manifest's). */
  now: Date;
  /**
   * The mtime of tar members: the run's creation time, not the export's, so exporting one
   * run twice (or again after an interrupted export) gives identical shards, byte for byte.
   */
  memberTime: Date;
}

/** One list to write: the kept pairs (or the full set), into files under `prefix`. */
export interface WriteTarget {
  prefix: string;
  source: PairSource;
  captions: CaptionChooser;
  skips: SkipLog;
  stage: ExportProgress['stage'];
}

export interface WriteOutcome {
  written: number;
  /** The main file (or folder) a trainer is pointed at, relative to the export folder. */
  entry: string;
  details: Record<string, unknown>;
}

/** Reports progress every `every` pairs and checks for cancellation. */
export function ticker(ctx: WriteContext, t: WriteTarget, every = 256): (done: number) => void {
  return (done) => {
    if (done % every === 0 || done === t.source.total) {
      ctx.signal?.throwIfAborted();
      ctx.progress(t.stage, done, t.source.total);
    }
  };
}

const IMAGE_ONLY = new Set<string>(IMAGE_ONLY_ERRORS);

/**
 * Skips a pair indexed with an error; `imageNeeded` false lets image-only errors through
 * (a uid or URL list does not need the image). Returns true when the pair was skipped.
 */
export async function skipIndexError(t: WriteTarget, p: ExportPair, imageNeeded: boolean): Promise<boolean> {
  const s = p.pair;
  if (s.status === 'ok') return false;
  if (!imageNeeded && s.errorKind !== null && IMAGE_ONLY.has(s.errorKind)) return false;
  await t.skips.skip(
    s.seq,
    s.key,
    s.errorKind ?? 'index_error',
    `indexed with an error: ${s.error ?? s.errorKind ?? 'unknown'}`,
  );
  return true;
}
