// Store → ReportData. runs.evaluation is read tolerantly: the shape written by
// compress/evaluate-run.ts (metrics[] with random/full references, alignment {edges,
// before, after}, occupancy, words) and the older SelectionReport shape are both
// understood, and any other `{name, value, low?, high?, verdict?}` object found is shown.
import { PROXY_CAVEAT } from '../../evaluate/proxy';
import { getDataset } from '../../store/datasets';
import type { Db } from '../../store/db';
import { getRun, type RunRow } from '../../store/runs';
import { datasetCounts } from '../../store/stats';
import { APP_VERSION } from '../../version';
import { ExportError } from '../errors';
import { stepCounts } from '../manifest';
import type {
  RankPoint,
  ReportData,
  ReportHistogram,
  ReportMetric,
  ReportReference,
  ReportRunData,
} from './report-data';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

/** A number list from an array or a JSON-serialised typed array ({"0": .., "1": ..}). */
export function numbers(v: unknown): number[] | undefined {
  if (Array.isArray(v))
    return v.every((x) => typeof x === 'number' || x === null)
      ? v.map((x) => (x === null ? NaN : x))
      : undefined;
  if (isObj(v)) {
    const keys = Object.keys(v);
    if (
      keys.length > 0 &&
      keys.every((k, i) => k === String(i)) &&
      keys.every((k) => typeof v[k] === 'number')
    ) {
      return keys.map((k) => v[k] as number);
    }
  }
  return undefined;
}

function rankPoints(v: unknown): RankPoint[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out = v.filter(
    (p): p is Obj => isObj(p) && finite(p.rank) !== undefined && finite(p.count) !== undefined,
  );
  return out.length ? out.map((p) => ({ rank: p.rank as number, count: p.count as number })) : undefined;
}

function reference(label: string, v: unknown, verdict: unknown): ReportReference | undefined {
  if (!isObj(v) || finite(v.value) === undefined) return undefined;
  return {
    label,
    value: v.value as number,
    ...(finite(v.low) !== undefined ? { low: v.low as number } : {}),
    ...(finite(v.high) !== undefined ? { high: v.high as number } : {}),
    ...(typeof verdict === 'string' ? { verdict } : {}),
  };
}

/** One metric object, or undefined when `v` is not shaped like one. */
export function toMetric(v: unknown, fallbackName: string, group?: string): ReportMetric | undefined {
  if (!isObj(v)) return undefined;
  const value = v.value === null ? null : finite(v.value);
  const diff = isObj(v.difference) ? finite(v.difference.value) : undefined;
  if (value === undefined && !(typeof v.verdict === 'string' && diff !== undefined)) return undefined;
  const name = typeof v.name === 'string' ? v.name : typeof v.label === 'string' ? v.label : fallbackName;
  const m: ReportMetric = { name, value: value ?? diff ?? null };
  const g = typeof v.group === 'string' ? v.group : group;
  if (g) m.group = g;
  const low =
    finite(v.low) ?? (isObj(v.difference) && value === undefined ? finite(v.difference.low) : undefined);
  const high =
    finite(v.high) ?? (isObj(v.difference) && value === undefined ? finite(v.difference.high) : undefined);
  if (low !== undefined) m.low = low;
  if (high !== undefined) m.high = high;
  if (typeof v.verdict === 'string') m.verdict = v.verdict;
  if (typeof v.higherIsBetter === 'boolean') m.higherIsBetter = v.higherIsBetter;
  const refs = [
    reference('random subset of the same size', v.random, v.vsRandom),
    reference('full pool', v.full, v.vsFull),
  ].filter((r): r is ReportReference => r !== undefined);
  if (refs.length) m.references = refs;
  return m;
}

const CHART_KEYS = new Set([
  'alignment',
  'occupancy',
  'words',
  'wordFrequency',
  'clusters',
  'clusterSizes',
  'notes',
  'caveat',
]);

/** Metric objects anywhere in `v` (depth-limited), named by their path when they have no name. */
function walkMetrics(v: unknown, path: string[], out: ReportMetric[], depth: number): void {
  if (depth > 4) return;
  if (Array.isArray(v)) {
    v.forEach((x, i) => walkMetrics(x, [...path, String(i)], out, depth + 1));
    return;
  }
  if (!isObj(v)) return;
  const m = toMetric(v, path.join(' '), path.length > 1 ? path[0] : undefined);
  if (m) {
    out.push(m);
    return;
  }
  for (const [k, x] of Object.entries(v)) {
    if (depth === 0 && CHART_KEYS.has(k)) continue;
    walkMetrics(x, [...path, k], out, depth + 1);
  }
}

/** Metrics of the older SelectionReport shape (plain numbers, no metric objects). */
function selectionReportMetrics(e: Obj): ReportMetric[] {
  const out: ReportMetric[] = [];
  const add = (group: string, name: string, value: unknown, higherIsBetter?: boolean) => {
    const v = finite(value);
    if (v !== undefined)
      out.push({ name, group, value: v, ...(higherIsBetter !== undefined ? { higherIsBetter } : {}) });
  };
  if (isObj(e.cost)) {
    add('cost', 'pairs kept', e.cost.pairsKept);
    add('cost', 'share of pairs kept', e.cost.pairRatio);
    add('cost', 'bytes kept', e.cost.bytesKept);
    add('cost', 'est. pre-training time ratio', e.cost.timeRatio);
  }
  if (isObj(e.coverage)) {
    add('coverage', 'coverage', e.coverage.coverage, true);
    add('coverage', 'density', e.coverage.density, true);
  }
  if (isObj(e.vocabulary) && isObj(e.vocabulary.after)) {
    add('vocabulary', 'vocabulary size', e.vocabulary.after.vocabulary, true);
    add('vocabulary', 'word-frequency entropy (bits)', e.vocabulary.after.entropyBits, true);
  }
  if (isObj(e.nearDuplicates)) add('duplicates', 'near-duplicate rate', e.nearDuplicates.rate, false);
  return out;
}

function histogramOf(e: Obj): ReportHistogram | undefined {
  const a = e.alignment;
  if (!isObj(a)) return undefined;
  const edges = numbers(a.edges);
  const after = numbers(a.after);
  if (edges && after) {
    const before = numbers(a.before);
    return { edges, after, ...(before ? { before } : {}) };
  }
  // SelectionReport: {before: {edges, counts}, after: {edges, counts}}.
  if (isObj(a.after)) {
    const e2 = numbers(a.after.edges);
    const c2 = numbers(a.after.counts);
    if (e2 && c2) {
      const before = isObj(a.before) ? numbers(a.before.counts) : undefined;
      return { edges: e2, after: c2, ...(before ? { before } : {}) };
    }
  }
  return undefined;
}

function clustersOf(e: Obj): ReportRunData['clusters'] {
  const o = e.occupancy ?? e.clusters ?? e.clusterSizes;
  if (!isObj(o)) return numbers(o) ? { after: numbers(o)! } : undefined;
  const side = (v: unknown) => numbers(v) ?? (isObj(v) ? numbers(v.counts) : undefined);
  const after = side(o.after);
  if (!after) return undefined;
  const before = side(o.before);
  return { after, ...(before ? { before } : {}) };
}

function wordsOf(e: Obj): ReportRunData['words'] {
  const w = e.words ?? e.wordFrequency;
  if (!isObj(w)) return undefined;
  const after = rankPoints(w.after);
  if (!after) return undefined;
  const before = rankPoints(w.before);
  return { after, ...(before ? { before } : {}) };
}

export interface AdaptedEvaluation {
  metrics: ReportMetric[];
  alignment?: ReportHistogram;
  words?: ReportRunData['words'];
  clusters?: ReportRunData['clusters'];
  notes: string[];
  caveat?: string;
}

/** Reads whatever runs.evaluation holds into report parts. */
export function adaptEvaluation(evaluation: unknown): AdaptedEvaluation {
  if (!isObj(evaluation)) return { metrics: [], notes: [] };
  const e = evaluation;
  const metrics: ReportMetric[] = [];
  if (Array.isArray(e.metrics)) {
    e.metrics.forEach((m, i) => {
      const x = toMetric(m, `metric ${i + 1}`);
      if (x) metrics.push(x);
    });
  } else {
    walkMetrics(e, [], metrics, 0);
    if (metrics.length === 0) metrics.push(...selectionReportMetrics(e));
  }
  const out: AdaptedEvaluation = {
    metrics,
    notes: Array.isArray(e.notes) ? e.notes.filter((n): n is string => typeof n === 'string') : [],
  };
  const alignment = histogramOf(e);
  if (alignment) out.alignment = alignment;
  const words = wordsOf(e);
  if (words) out.words = words;
  const clusters = clustersOf(e);
  if (clusters) out.clusters = clusters;
  if (typeof e.caveat === 'string' && e.caveat) out.caveat = e.caveat;
  return out;
}

function derivedOf(stats: Obj): ReportRunData['derived'] {
  if (!Array.isArray(stats.derived)) return undefined;
  const out: NonNullable<ReportRunData['derived']> = [];
  for (const d of stats.derived) {
    if (!isObj(d) || typeof d.label !== 'string') continue;
    const v = d.value;
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
    out.push({ label: d.label, value: v, ...(typeof d.note === 'string' ? { note: d.note } : {}) });
  }
  return out.length ? out : undefined;
}

export function runReportData(run: RunRow): { run: ReportRunData; caveat?: string } {
  const ev = adaptEvaluation(run.evaluation);
  const statsNotes = Array.isArray(run.stats.notes)
    ? run.stats.notes.filter((n): n is string => typeof n === 'string')
    : [];
  const data: ReportRunData = {
    id: run.id,
    label: run.label,
    method: run.method,
    state: run.state,
    createdAt: run.createdAt,
    params: run.params,
    seed: run.params.seed ?? run.stats.seed,
    kept: run.kept,
    eligible: run.eligible,
    steps: stepCounts(run.stats).map((s) => ({ label: s.label || s.step || '', count: s.count })),
    derived: derivedOf(run.stats),
    metrics: ev.metrics,
    alignment: ev.alignment,
    words: ev.words,
    clusters: ev.clusters,
    notes: [...statsNotes, ...ev.notes, ...(run.evaluation === null ? ['Not evaluated.'] : [])],
  };
  return { run: data, ...(ev.caveat ? { caveat: ev.caveat } : {}) };
}

/** ~`points` log-spaced ranks of the dataset's word counts, read in one ordered pass (no map of the vocabulary). */
export function datasetWordCurve(db: Db, datasetId: number, points = 160): RankPoint[] {
  const n = (
    db.prepare(`SELECT COUNT(*) AS n FROM word_counts WHERE dataset_id = ?`).get(datasetId) as { n: number }
  ).n;
  if (n === 0) return [];
  const wanted = new Set<number>([1, n]);
  for (let k = 0; k < points; k++)
    wanted.add(Math.max(1, Math.min(n, Math.round(Math.exp((k * Math.log(n)) / (points - 1))))));
  const out: RankPoint[] = [];
  let rank = 0;
  // Synchronous iteration: no other statement can interleave, so the open iterator is harmless.
  for (const r of db
    .prepare(`SELECT count FROM word_counts WHERE dataset_id = ? ORDER BY count DESC`)
    .iterate(datasetId) as IterableIterator<{ count: number }>) {
    rank++;
    if (wanted.has(rank)) out.push({ rank, count: r.count });
  }
  return out;
}

export function loadReportData(
  db: Db,
  a: { datasetId: number; runIds: number[]; title?: string | undefined; now?: Date | undefined },
): ReportData {
  const dataset = getDataset(db, a.datasetId);
  if (!dataset) throw new ExportError('refused', `no dataset with id ${a.datasetId}`);
  const runs: ReportRunData[] = [];
  let caveat: string | undefined;
  for (const id of a.runIds) {
    const run = getRun(db, id);
    if (!run) throw new ExportError('refused', `no run with id ${id}`);
    if (run.datasetId !== dataset.id) {
      throw new ExportError(
        'refused',
        `run ${id} (${run.label}) belongs to dataset ${run.datasetId}, not ${dataset.id}`,
      );
    }
    const r = runReportData(run);
    runs.push(r.run);
    caveat ??= r.caveat;
  }
  const counts = datasetCounts(db, dataset.id);
  return {
    title:
      a.title ?? `${dataset.name}: ${runs.length === 1 ? runs[0]!.label : `${runs.length} runs compared`}`,
    generatedAt: (a.now ?? new Date()).toISOString(),
    appVersion: APP_VERSION,
    dataset: {
      id: dataset.id,
      name: dataset.name,
      root: dataset.root,
      format: dataset.format,
      pairs: counts.pairs,
      ok: counts.ok,
      errors: counts.errorTotal,
      vocabulary: counts.vocabulary,
      words: counts.words,
    },
    words: datasetWordCurve(db, dataset.id),
    runs,
    caveat: caveat ?? PROXY_CAVEAT,
    notes: [],
  };
}
