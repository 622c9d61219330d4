// The comparison table of several runs: one row per metric, one cell per run, and each
// run's verdict against the first run. A verdict needs intervals on both sides; a metric
// without one (counts, sizes) is shown but never declared a win.
import { compareEstimates } from '../evaluate/uncertainty';
import type { RunRow } from '../store/runs';
import type { MetricRow, RunEvaluation } from './evaluate-run';

export interface CompareTable {
  runs: { id: number; label: string; kept: number; eligible: number }[];
  rows: {
    name: string;
    group: string;
    higherIsBetter?: boolean;
    cells: (MetricRow | null)[];
    vsFirst: string[];
  }[];
  notes: string[];
  caveat: string;
}

function hasInterval(m: MetricRow | null | undefined): m is MetricRow & { low: number; high: number } {
  return !!m && Number.isFinite(m.low) && Number.isFinite(m.high);
}

export function compareRuns(runs: RunRow[]): CompareTable {
  const evals = runs.map((r) => (r.evaluation ?? null) as RunEvaluation | null);
  const names: { name: string; group: string; higherIsBetter?: boolean }[] = [];
  const seen = new Set<string>();
  for (const e of evals) {
    for (const m of e?.metrics ?? []) {
      if (seen.has(m.name)) continue;
      seen.add(m.name);
      names.push({
        name: m.name,
        group: m.group,
        ...(m.higherIsBetter !== undefined ? { higherIsBetter: m.higherIsBetter } : {}),
      });
    }
  }
  const rows = names.map((n) => {
    const cells = evals.map((e) => e?.metrics.find((m) => m.name === n.name) ?? null);
    const first = cells[0];
    const vsFirst = cells.map((c, i) => {
      if (i === 0) return '';
      if (!hasInterval(first) || !hasInterval(c) || n.higherIsBetter === undefined) return '';
      const cmp = compareEstimates(
        { value: c.value, low: c.low, high: c.high, method: 'normal', n: 1, level: 0.95 },
        { value: first.value, low: first.low, high: first.high, method: 'normal', n: 1, level: 0.95 },
        { higherIsBetter: n.higherIsBetter },
      );
      return cmp.verdict === 'a better'
        ? 'better'
        : cmp.verdict === 'b better'
          ? 'worse'
          : 'no significant difference';
    });
    return { ...n, cells, vsFirst };
  });
  const notes = [...new Set(evals.flatMap((e) => e?.notes ?? []))];
  const missing = runs.filter((_, i) => !evals[i]).map((r) => r.label);
  if (missing.length) notes.unshift(`Not evaluated: ${missing.join(', ')}.`);
  return {
    runs: runs.map((r) => ({ id: r.id, label: r.label, kept: r.kept, eligible: r.eligible })),
    rows,
    notes,
    caveat: evals.find((e) => e)?.caveat ?? '',
  };
}
