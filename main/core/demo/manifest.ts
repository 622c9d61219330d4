// The demo's ground truth, written to <outDir>/demo-manifest.json beside (not inside)
// the dataset folder, so format detection sees a plain captions.tsv + images dataset.
import type { BackgroundName, ColourName, ObjectName, Zone } from './vocabulary';
import type { Box } from './scene';

export const DEMO_MANIFEST_FORMAT = 'tldr-studio-demo';
/** Bump when drawing, captions or planting change: older demos are then regenerated. */
export const DEMO_GENERATOR_VERSION = 1;

/** Share of pairs (of `count`) given each planted defect. */
export const DEMO_RATES = {
  /** Share of scenes that get 1–2 near-duplicate copies. */
  nearDuplicateScenes: 0.05,
  mismatchedCaptions: 0.05,
  frequentWordCaptions: 0.03,
  corruptFiles: 0.005,
} as const;

export type NearDuplicateVariant =
  /** Same pixels, encoded again at a lower JPEG quality. */
  | { kind: 'reencode'; quality: number }
  /** Scaled to width × height (square). */
  | { kind: 'resize'; width: number; height: number; quality: number }
  /** A slightly smaller window of the original, at its own pixel size. */
  | { kind: 'crop'; left: number; top: number; width: number; height: number; quality: number };

export type Corruption = 'truncated' | 'empty' | 'random';

export type DemoPlant =
  | 'none'
  /** Original or copy in a near-duplicate group (see `duplicate`). */
  | 'near_duplicate'
  /** The caption describes another scene with different objects (see `captionFrom`). */
  | 'mismatched_caption'
  /** The caption uses only the corpus's most frequent words ("a picture of the image"). */
  | 'frequent_words_caption'
  /** The file does not decode (see `corruption`). */
  | 'corrupt_file';

export interface DemoObject {
  name: ObjectName;
  colour: ColourName;
  zone: Zone;
  /** Pixel box in this file's own pixel grid (copies: transformed with the copy). */
  box: Box;
}

export interface DemoItem {
  /** '000000042' */
  key: string;
  /** Path relative to the dataset folder: 'images/000000042.jpg'. */
  image: string;
  caption: string;
  /** A caption of what is drawn; equals `caption` unless the caption was planted. */
  trueCaption: string;
  /** Pixel size of the picture (for corrupt files: what it would have been). */
  width: number;
  height: number;
  /** File size in bytes and sha256 of the file. */
  bytes: number;
  sha256: string;
  /** Index of the drawn scene; near-duplicate copies share their original's. */
  scene: number;
  background: BackgroundName;
  /** What is drawn, back to front (for corrupt files: what would have been drawn). */
  objects: DemoObject[];
  plant: DemoPlant;
  duplicate?: { group: number; role: 'original' | 'copy'; variant?: NearDuplicateVariant };
  /** Mismatched captions: the key of the item whose scene the caption describes. */
  captionFrom?: string;
  corruption?: Corruption;
}

export interface DemoSummary {
  pairs: number;
  /** Distinct drawn scenes (pairs minus near-duplicate copies). */
  scenes: number;
  nearDuplicateGroups: number;
  nearDuplicateCopies: number;
  mismatchedCaptions: number;
  frequentWordCaptions: number;
  corruptFiles: number;
}

export interface DemoManifest {
  format: typeof DEMO_MANIFEST_FORMAT;
  version: typeof DEMO_GENERATOR_VERSION;
  seed: number;
  /** Number of pairs (= image files), copies and corrupt files included. */
  count: number;
  /** Side of the square scenes in pixels (resized copies differ). */
  size: number;
  /** Relative to the manifest's folder. */
  datasetDir: 'dataset';
  captionsFile: 'dataset/captions.tsv';
  imagesDir: 'dataset/images';
  rates: typeof DEMO_RATES;
  /** In key order. */
  items: DemoItem[];
  /** Counts at a glance. */
  summary: DemoSummary;
  /** Planted ground truth, by key. */
  planted: {
    /** Original first, then its copies. */
    nearDuplicateGroups: string[][];
    mismatchedCaptions: { key: string; captionFrom: string }[];
    frequentWordCaptions: string[];
    corruptFiles: { key: string; corruption: Corruption }[];
  };
}
