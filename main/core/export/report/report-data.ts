// The data the HTML report renders. The renderer is a pure function of this; the adapter
// (from-db.ts) fills it from the store, reading runs.evaluation tolerantly because its
// shape is still being designed: anything shaped like a metric is shown.

/**
 * One row of the comparison table for one run. Any object in runs.evaluation shaped
 * `{name, value, low?, high?, verdict?}` becomes one (the renderer never interprets names).
 */
export interface ReportMetric {
  name: string;
  /** Rows of the same group sit together ('proxy', 'coverage', 'cost', ...). */
  group?: string | undefined;
  /** null: not computed for this run. */
  value: number | null;
  /** Interval around `value` (typically 95 %), when there is one. */
  low?: number | undefined;
  high?: number | undefined;
  /** As stored: 'better' | 'worse' | 'no significant difference' | any text. Shown, never recomputed. */
  verdict?: string | undefined;
  higherIsBetter?: boolean | undefined;
  /** Values to read it against (a random subset of the same size, the full pool), each with its stored verdict. */
  references?: ReportReference[] | undefined;
}

export interface ReportReference {
  label: string;
  value: number;
  low?: number | undefined;
  high?: number | undefined;
  verdict?: string | undefined;
}

/** A point of a rank/frequency curve (rank 1 = the most frequent word). */
export interface RankPoint {
  rank: number;
  count: number;
}

/** Alignment-score histogram on fixed bins: `edges` has one more entry than each count list. */
export interface ReportHistogram {
  edges: number[];
  /** The pool the run chose from. */
  before?: number[] | undefined;
  /** The kept pairs. */
  after: number[];
}

/** Everything the report shows about one run. */
export interface ReportRunData {
  id: number;
  label: string;
  method: string;
  state?: string | undefined;
  createdAt?: string | undefined;
  params: Record<string, unknown>;
  seed?: unknown;
  kept: number;
  eligible: number;
  /** Pairs still selected after each step (runs.stats.steps). */
  steps: { label: string; count: number }[];
  /** Parameters the method derived (N, cut-offs...), as stored in runs.stats.derived. */
  derived?: { label: string; value: string | number | boolean; note?: string | undefined }[] | undefined;
  /** The comparison-table cells of this run. */
  metrics: ReportMetric[];
  alignment?: ReportHistogram | undefined;
  /** Word rank/frequency before (the pool) and after (the kept pairs). */
  words?: { before?: RankPoint[] | undefined; after: RankPoint[] } | undefined;
  /** Pairs per cluster before and after (same clustering, same cluster order). */
  clusters?: { before?: number[] | undefined; after: number[] } | undefined;
  notes: string[];
}

export interface ReportDataset {
  id: number;
  name: string;
  root: string;
  format: string;
  pairs: number;
  ok: number;
  errors: number;
  vocabulary?: number | undefined;
  words?: number | undefined;
}

export interface ReportData {
  title: string;
  generatedAt: string;
  appVersion: string;
  dataset: ReportDataset;
  /** The full set's rank/frequency curve (word_counts). */
  words?: RankPoint[] | undefined;
  runs: ReportRunData[];
  /** Shown next to the numbers: small-scale proxies can mis-rank methods. */
  caveat: string;
  notes: string[];
}
