// What an export takes and gives back. One entry point (exportRun) for every trainer format.
import type { Db } from '../store/db';
import type { ExportIo } from './export-io';
import type { ExportManifest } from './manifest';

export const EXPORT_FORMATS = [
  'blip-json',
  'openclip-tsv',
  'webdataset',
  'uids',
  'urls-tsv',
  'wfpp-schedule',
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Formats a WFPP schedule can carry its kept subset in. */
export type SubsetFormat = Exclude<ExportFormat, 'wfpp-schedule'>;

export type CaptionSource = 'original' | 'refined';

export interface ExportProgress {
  stage: 'scan' | 'write' | 'full-set' | 'finish';
  done: number;
  total: number;
}

export interface ExportRunOptions {
  db: Db;
  /** The workspace folder: default exports go to `<workspace>/exports/`. */
  workspace: string;
  runId: number;
  format: ExportFormat;
  /** Target folder; default `<workspace>/exports/<datasetId>-<runId>-<format>-<timestamp>`. */
  outDir?: string | undefined;
  /** Replace an existing non-empty export folder (only one that holds an export manifest). */
  overwrite?: boolean | undefined;
  /** 'refined': refined_captions.merged where the run has one for the pair, else the original. */
  captions?: CaptionSource | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: ExportProgress) => void) | undefined;
  /** webdataset: samples per shard (default 10,000). */
  shardSize?: number | undefined;
  /**
   * webdataset sample keys: 'auto' keeps the original keys when every one is safe as a tar
   * member stem (letters, digits, '_' and '-', at most 64), else a 9-digit running index.
   */
  keys?: 'auto' | 'index' | 'original' | undefined;
  /**
   * blip-json / openclip-tsv: 'absolute' (default; BLIP's pre-training loader and open_clip open
   * the path as written) or 'relative' to the dataset folder (LAVIS/ALBEF `image_root` style).
   */
  imagePaths?: 'absolute' | 'relative' | undefined;
  /** blip-json / openclip-tsv: check every image file still exists with its indexed size (default true). */
  verifyFiles?: boolean | undefined;
  /** wfpp-schedule: the format of the kept subset (default by where the images are). */
  subsetFormat?: SubsetFormat | undefined;
  /** wfpp-schedule: also write the full set in the subset's format (path formats only). */
  fullSetList?: boolean | undefined;
  /** wfpp-schedule: stage settings (defaults: the authors' 1 epoch at lr 1e-5, 0.1-epoch warm-up). */
  schedule?: { pretrainEpochs?: number; finetuneLr?: number; warmupEpochs?: number } | undefined;
  /** Told the staging folder once it exists (the export job checkpoints it, so a dead engine's is removed). */
  onStaging?: ((partial: string) => void) | undefined;
  /** File writes go through this (tests inject failures such as ENOSPC). */
  io?: ExportIo | undefined;
  /** Clock for the folder name and the manifest (tests). */
  now?: (() => Date) | undefined;
}

export interface ExportedFile {
  /** '/'-separated, relative to the export folder. */
  path: string;
  bytes: number;
  sha256: string;
}

export interface ExportResult {
  /** Row id in the exports table. */
  exportId: number;
  folder: string;
  format: ExportFormat;
  kept: number;
  written: number;
  skipped: number;
  skippedByReason: Record<string, number>;
  files: ExportedFile[];
  manifest: ExportManifest;
}
