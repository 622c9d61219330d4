// Shapes the contract carries as `unknown` (a run's stats and evaluation, the TiMix
// preview), mirrored from main/core so the renderer does not type-check engine code.
// Keep in step with main/core/compress/evaluate-run.ts and main/core/timix/preview-loader.ts.
import type { MetricRowDto, RunDto } from '../../../main/api/schemas';

export interface StepCount {
  step: string;
  label: string;
  count: number;
}

export interface DerivedParam {
  key: string;
  label: string;
  value: number | string | boolean;
  note?: string;
}

export interface RunStats {
  steps: StepCount[];
  derived: DerivedParam[];
  budget?: { requested: number; actual: number; exact: boolean };
  notes: string[];
  heldOut?: number;
  error?: string;
}

export interface RunEvaluation {
  pool: number;
  heldOut: number;
  kept: number;
  metrics: MetricRowDto[];
  alignment?: { edges: number[]; before: number[]; after: number[] };
  occupancy?: { before: number[]; after: number[] };
  words?: { before: { rank: number; count: number }[]; after: { rank: number; count: number }[] };
  notes: string[];
  caveat: string;
}

export function runStats(r: RunDto): RunStats {
  const s = r.stats as Partial<RunStats>;
  return {
    steps: Array.isArray(s.steps) ? s.steps : [],
    derived: Array.isArray(s.derived) ? s.derived : [],
    notes: Array.isArray(s.notes) ? s.notes : [],
    ...(s.budget ? { budget: s.budget } : {}),
    ...(typeof s.heldOut === 'number' ? { heldOut: s.heldOut } : {}),
    ...(typeof s.error === 'string' ? { error: s.error } : {}),
  };
}

export function runEvaluation(r: RunDto): RunEvaluation | undefined {
  const e = r.evaluation as RunEvaluation | null;
  return e && Array.isArray(e.metrics) ? e : undefined;
}

export interface PatchWindow {
  row: number;
  col: number;
  size: number;
  sum: number;
}

export interface PixelBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface TimixPreviewPair {
  seq: number;
  key: string;
  caption: string;
  /** grid × grid z-scored saliency, row-major. */
  saliency: number[];
  flat: boolean;
  /** base64 of the training view. */
  image: string;
}

export interface TimixPreviewSample {
  target: number;
  source: number;
  targetWindow: PatchWindow;
  sourceWindow: PatchWindow;
  targetBox: PixelBox;
  sourceBox: PixelBox;
  lambda: number;
  weights: [number, number];
  selfMix: boolean;
  image: string;
}

export interface TimixPreview {
  seed: number;
  s: number;
  lambda: number;
  size: number;
  grid: number;
  model: string;
  mime: string;
  pairs: TimixPreviewPair[];
  samples: TimixPreviewSample[];
  skipped: number[];
}
