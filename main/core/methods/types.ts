// What every selection method returns. Columnar on purpose: a CC12M run has ~10M pairs,
// and one object per pair would cost gigabytes; the store writes these columns as-is.

/** A pair's outcome in one step: which step decided, and a short code ('kept', 'duplicate'…). */
export interface ReasonLabel {
  step: string;
  code: string;
}

/** One pair's reason, decoded (see `reasonAt`). */
export interface Reason extends ReasonLabel {
  /** The number the decision was made on (score, distance, similarity), when there is one. */
  score?: number;
}

export interface Reasons {
  /** Distinct (step, code) labels; `label[i]` indexes this table. Label 0 is always 'excluded'. */
  labels: ReasonLabel[];
  /** Per pair: index into `labels`. */
  label: Uint16Array;
  /** Per pair: the number behind the decision, NaN when none. */
  score: Float32Array;
}

/** Pairs still selected after a step, in order: what the funnel chart shows. */
export interface StepCount {
  step: string;
  /** Human label ("stride N = 2", "top 50 % by alignment"). */
  label: string;
  count: number;
}

/** A parameter the method derived (or was given) and the user should see. */
export interface DerivedParam {
  key: string;
  label: string;
  value: number | string | boolean;
  note?: string;
}

/** Requested budget versus what the method actually kept (they may differ: reported, never hidden). */
export interface BudgetReport {
  requested: number;
  actual: number;
  /** True when an exact-budget trim/fill step ran. */
  exact: boolean;
}

export interface Selection {
  method: string;
  /** Number of pairs in the dataset (length of every per-pair column). */
  n: number;
  /** 1 = kept, 0 = dropped or not eligible. */
  kept: Uint8Array;
  keptCount: number;
  reasons: Reasons;
  stats: StepCount[];
  derived: DerivedParam[];
  budget?: BudgetReport;
  /** Plain-language notes (e.g. "NaN scores ranked last"). */
  notes: string[];
}

/** A budget as the user gives it: a fraction of the eligible pairs, or a pair count. */
export type Budget = { ratio: number } | { pairs: number };

/** Options every method accepts. */
export interface BaseOptions {
  /** 1 = the pair may be selected. Undefined = all pairs. Held-out pairs and earlier steps' drops are 0. */
  eligible?: Uint8Array;
}
