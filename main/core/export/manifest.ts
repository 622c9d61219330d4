// The manifest written with every export: enough to cite it (source, method, parameters,
// seed, counts after each step, app version, time) and to check it (sha256 of each file).
import type { DatasetRow } from '../store/datasets';
import type { DatasetCounts } from '../store/stats';
import type { RunRow } from '../store/runs';
import { APP_VERSION } from '../version';
import type { CaptionSource, ExportedFile, ExportFormat } from './types';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_KIND = 'tldr-studio-export';

export interface StepCountEntry {
  step?: string;
  label: string;
  count: number;
}

export interface CaptionCounts {
  source: CaptionSource;
  /** Written captions that came from refined_captions.merged. */
  refined: number;
  /** Of those, how many have a generated part BLIP's 30-word cut drops words of (refined_captions.truncated). */
  refinedTruncated: number;
  /** Written captions longer than BLIP's pre-training limit (30 words after its pre_caption cleaning). */
  overBlipLimit: number;
  blipMaxWords: number;
}

export interface SkippedExample {
  seq: number;
  key: string;
  reason: string;
  message: string;
}

export interface ExportManifest {
  kind: typeof MANIFEST_KIND;
  manifestVersion: 1;
  app: { name: 'tldr-studio'; version: string };
  createdAt: string;
  format: ExportFormat;
  options: Record<string, unknown>;
  source: {
    datasetId: number;
    name: string;
    root: string;
    format: string;
    indexedAt: string | null;
    counts: {
      pairs: number;
      ok: number;
      errors: number;
      errorsByKind: Record<string, number>;
      images: number;
    };
  };
  run: {
    id: number;
    method: string;
    label: string;
    state: string;
    params: Record<string, unknown>;
    seed: unknown;
    kept: number;
    eligible: number;
    /** Pairs still selected after each step (runs.stats.steps). */
    steps: StepCountEntry[];
    stats: Record<string, unknown>;
    createdAt: string;
  };
  counts: {
    kept: number;
    written: number;
    skipped: number;
    skippedByReason: Record<string, number>;
    /** The first skipped pairs; all of them are in skipped.jsonl. */
    skippedExamples: SkippedExample[];
  };
  captions?: CaptionCounts;
  /** Format-specific facts (shards, schedule, uid file...). */
  details: Record<string, unknown>;
  notes: string[];
  /** Every other file of the export with its size and sha256. */
  files: ExportedFile[];
}

/** Step counts out of runs.stats, whatever the method stored, as long as it is a list of {label|step, count}. */
export function stepCounts(stats: Record<string, unknown>): StepCountEntry[] {
  for (const key of ['steps', 'stats', 'funnel']) {
    const v = stats[key];
    if (!Array.isArray(v)) continue;
    const out: StepCountEntry[] = [];
    for (const s of v as unknown[]) {
      if (!s || typeof s !== 'object') continue;
      const o = s as Record<string, unknown>;
      if (typeof o.count !== 'number') continue;
      const label = typeof o.label === 'string' ? o.label : typeof o.step === 'string' ? o.step : '';
      out.push({ ...(typeof o.step === 'string' ? { step: o.step } : {}), label, count: o.count });
    }
    if (out.length) return out;
  }
  return [];
}

export function runSeed(run: RunRow): unknown {
  return run.params.seed ?? run.stats.seed ?? null;
}

export function buildManifest(a: {
  createdAt: Date;
  format: ExportFormat;
  options: Record<string, unknown>;
  dataset: DatasetRow;
  counts: DatasetCounts;
  run: RunRow;
  kept: number;
  written: number;
  skippedByReason: Record<string, number>;
  skippedExamples: SkippedExample[];
  captions?: CaptionCounts | undefined;
  details: Record<string, unknown>;
  notes: string[];
  files: ExportedFile[];
}): ExportManifest {
  const skipped = Object.values(a.skippedByReason).reduce((s, n) => s + n, 0);
  const { dataset: d, run } = a;
  return {
    kind: MANIFEST_KIND,
    manifestVersion: 1,
    app: { name: 'tldr-studio', version: APP_VERSION },
    createdAt: a.createdAt.toISOString(),
    format: a.format,
    options: a.options,
    source: {
      datasetId: d.id,
      name: d.name,
      root: d.root,
      format: d.format,
      indexedAt: d.indexedAt,
      counts: {
        pairs: a.counts.pairs,
        ok: a.counts.ok,
        errors: a.counts.errorTotal,
        errorsByKind: a.counts.errors,
        images: a.counts.images,
      },
    },
    run: {
      id: run.id,
      method: run.method,
      label: run.label,
      state: run.state,
      params: run.params,
      seed: runSeed(run),
      kept: run.kept,
      eligible: run.eligible,
      steps: stepCounts(run.stats),
      stats: run.stats,
      createdAt: run.createdAt,
    },
    counts: {
      kept: a.kept,
      written: a.written,
      skipped,
      skippedByReason: a.skippedByReason,
      skippedExamples: a.skippedExamples,
    },
    ...(a.captions ? { captions: a.captions } : {}),
    details: a.details,
    notes: a.notes,
    files: [...a.files].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0)),
  };
}
