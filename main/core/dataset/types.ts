// The one shape every dataset reader produces, whatever the layout on disk.

/**
 * Where a pair's image bytes live. Paths are '/'-separated and relative to the dataset's
 * base folder: the root when the root is a folder, the folder holding it when the root is
 * a single file (see datasetBaseDir in base-dir.ts).
 */
export type ImageRef =
  | { kind: 'file'; path: string }
  /** A member of an uncompressed tar, read in place: `offset` is the first data byte. */
  | { kind: 'tar'; path: string; member: string; offset: number; size: number }
  /** Image bytes stored in a parquet column (img2dataset parquet output). */
  | { kind: 'parquet'; path: string; row: number; column: string }
  /** Not on disk: only a URL (CC3M/CC12M TSVs before download). */
  | { kind: 'url'; url: string }
  | { kind: 'none' };

/** Why an item is not usable. Stable identifiers: the UI and the CLI group errors by them. */
export const ERROR_KINDS = [
  'missing_image',
  'unreadable_image',
  'corrupt_image',
  'image_too_large',
  'missing_caption',
  'empty_caption',
  'non_utf8_caption',
  'malformed_record',
  'duplicate_key',
  'path_escape',
  'truncated_archive',
  'download_failed',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** One image with one caption, as a reader yields it. */
export interface PairRecord {
  /** Unique within the dataset when the source is sound (duplicates are flagged by ingest). */
  key: string;
  /** Groups pairs that share one image (Flickr/COCO: about five captions per image). */
  imageKey: string;
  image: ImageRef;
  caption: string | null;
  width?: number | undefined;
  height?: number | undefined;
  /** Byte size of the image file or member. */
  bytes?: number | undefined;
  /** Modification time (ms since the epoch) of a file-held image when it was read. */
  mtimeMs?: number | undefined;
  /** Content hash of the image bytes (hex), when known cheaply (e.g. img2dataset's sha256). */
  hash?: string | undefined;
  url?: string | undefined;
  /** DataComp/LAION uid when the source has one. */
  uid?: string | undefined;
  /** Split name from Karpathy json (train/val/test/restval), when given. */
  split?: string | undefined;
  /** Set by the reader when the item is bad; ingest keeps it with this status. */
  error?: { kind: ErrorKind; message: string } | undefined;
}

/**
 * A reader walks its sources in a fixed order, split into units (a tar shard, a json
 * file, a folder). `cursor` lets ingest resume: the reader may skip whole units before
 * `startUnit`; ingest itself skips items it has already committed.
 */
export interface ReadItem {
  record: PairRecord;
  unit: number;
}

export interface ReadProgress {
  /** Units done / total (shards, files). */
  unitsDone: number;
  unitsTotal: number;
  /** Bytes of source read so far / total, when known. */
  bytesDone?: number;
  bytesTotal?: number;
}

export interface ReadOptions {
  /** Dataset root (a folder, or the single file that was dropped). */
  root: string;
  /** First unit to read; units before it were fully committed on an earlier run. */
  startUnit?: number;
  signal?: AbortSignal;
  onProgress?: (p: ReadProgress) => void;
}

export interface FormatReader {
  /** Stable id stored with the dataset: 'webdataset', 'coco', 'csv', ... */
  readonly format: FormatId;
  /** Total pairs if it can be known cheaply (stats json, parquet row counts), else undefined. */
  estimateTotal?(opts: ReadOptions): Promise<number | undefined>;
  read(opts: ReadOptions): AsyncIterable<ReadItem>;
}

export const FORMAT_IDS = [
  'webdataset',
  'img2dataset-files',
  'img2dataset-parquet',
  'coco',
  'karpathy',
  'flickr-token',
  'flickr-csv',
  'blip-json',
  'llava-json',
  'table',
  'folder',
  'clip-retrieval',
] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

/** What detection saw, so the UI can show it and ask when it cannot decide. */
export interface Detection {
  /** The chosen format, or undefined when detection could not decide. */
  format?: FormatId | undefined;
  /** Every format that matched, best first, with the evidence. */
  candidates: { format: FormatId; confidence: number; evidence: string[] }[];
  /** Plain-language summary of what was seen ("312 .tar, 312 .parquet, 312 _stats.json"). */
  seen: string[];
  /** When no format matched or several tie: why, in words a user acts on. */
  problem?: string | undefined;
  /** Reader options chosen by detection (e.g. the table's separator and columns). */
  options?: Record<string, unknown> | undefined;
  /**
   * The root to index when it differs from the dropped path: a COCO captions file dropped
   * alone from `annotations/` → the folder above, where the image folders are.
   */
  root?: string | undefined;
}
