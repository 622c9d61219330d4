// Helpers of the Compare view: which runs to show first, and how a metric reads.
import type { MetricRowDto, RunDto } from '../../../main/api/schemas';

/** The newest finished TL;DR run and the newest random one (else the two newest runs). */
export function defaultComparison(runs: readonly RunDto[]): number[] {
  const done = runs.filter((r) => r.state === 'done').sort((a, b) => b.id - a.id);
  const isMethod = (r: RunDto, m: string) => {
    const spec = (r.params.spec ?? {}) as { method?: string };
    return r.method === m || spec.method === m;
  };
  const tldr = done.find((r) => isMethod(r, 'tldr'));
  const random = done.find((r) => isMethod(r, 'random'));
  const out = [tldr, random].filter((r): r is RunDto => !!r).map((r) => r.id);
  for (const r of done) {
    if (out.length >= 2) break;
    if (!out.includes(r.id)) out.push(r.id);
  }
  return out;
}

export function metricValue(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
}

export function interval(m: Pick<MetricRowDto, 'low' | 'high'> | null | undefined): string {
  if (!m || m.low === undefined || m.high === undefined || m.low === null || m.high === null) return '';
  if (!Number.isFinite(m.low) || !Number.isFinite(m.high)) return '';
  return `${metricValue(m.low)}–${metricValue(m.high)}`;
}

/** Class and wording of a verdict: noise is never styled or worded as a win. */
export function verdictView(v: string | undefined): { text: string; cls: string } | undefined {
  if (!v) return undefined;
  if (v === 'better') return { text: 'better', cls: 'ok' };
  if (v === 'worse') return { text: 'worse', cls: 'error' };
  return { text: 'no significant difference', cls: 'neutral' };
}
