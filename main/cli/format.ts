// Plain-text rendering of results for the terminal.
import type { CompareTableDto, DatasetStatsDto, ImportReportDto, MetricRowDto, RunDto } from '../api/schemas';

function n(x: number): string {
  return x.toLocaleString('en-US');
}

function bytes(b: number): string {
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (b >= 1024 && i < u.length - 1) {
    b /= 1024;
    i++;
  }
  return `${b.toFixed(i ? 1 : 0)} ${u[i]}`;
}

export function formatErrors(errors: Record<string, number>): string {
  const e = Object.entries(errors);
  return e.length ? e.map(([k, v]) => `    ${k.padEnd(20)} ${n(v)}`).join('\n') : '    none';
}

export function formatIndexResult(info: DatasetStatsDto): string {
  return [
    `indexed dataset ${info.dataset.id} (${info.dataset.format}) at ${info.dataset.root}`,
    `  pairs  ${n(info.pairs)}   images ${n(info.images)}   ok ${n(info.ok)}   errors ${n(info.errorTotal)}`,
    `  errors by kind:`,
    formatErrors(info.errors),
  ].join('\n');
}

export function formatInfo(info: DatasetStatsDto): string {
  const cw = info.captionWords;
  const mean =
    cw.counts.reduce((s, c, i) => s + c * (((cw.edges[i] ?? 0) + (cw.edges[i + 1] ?? 0) - 1) / 2), 0) /
    Math.max(
      1,
      cw.counts.reduce((a, b) => a + b, 0),
    );
  return [
    `dataset ${info.dataset.id}: ${info.dataset.name} (${info.dataset.format}, ${info.dataset.state})`,
    `  root        ${info.dataset.root}`,
    `  pairs       ${n(info.pairs)}`,
    `  images      ${n(info.images)}`,
    `  ok          ${n(info.ok)}`,
    `  errors      ${n(info.errorTotal)}`,
    formatErrors(info.errors),
    `  image bytes ${bytes(info.bytes)}`,
    `  vocabulary  ${n(info.vocabulary)} words, ${n(info.words)} tokens (WFPP tokenizer)`,
    `  caption     ~${mean.toFixed(1)} words on average`,
    `  width       ${info.imageWidth.edges[0] ?? '?'}–${info.imageWidth.edges.at(-1) ?? '?'} px`,
    `  height      ${info.imageHeight.edges[0] ?? '?'}–${info.imageHeight.edges.at(-1) ?? '?'} px`,
  ].join('\n');
}

function fmtNum(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (Math.abs(v) >= 1000) return n(Math.round(v));
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(Math.abs(v) < 1 ? 3 : 2);
}

function cell(m: MetricRowDto | null): string {
  if (!m) return '–';
  const ci =
    Number.isFinite(m.low) && Number.isFinite(m.high) ? ` [${fmtNum(m.low!)}, ${fmtNum(m.high!)}]` : '';
  return `${fmtNum(m.value)}${ci}`;
}

const VERDICT: Record<string, string> = {
  better: 'better',
  worse: 'worse',
  'no significant difference': 'n.s.',
};

/** The comparison table as text: metric rows, one column per run, verdicts vs random and vs the first run. */
export function formatCompare(t: CompareTableDto): string {
  const header = ['metric', ...t.runs.map((r) => `#${r.id} ${r.label} (${n(r.kept)})`)];
  const lines: string[][] = [header];
  for (const row of t.rows) {
    lines.push([
      row.name,
      ...row.cells.map((c, i) => {
        let s = cell(c);
        if (c?.random) s += ` | rnd ${fmtNum(c.random.value)}${c.vsRandom ? ` ${VERDICT[c.vsRandom]}` : ''}`;
        if (i > 0 && row.vsFirst[i])
          s += ` | vs #${t.runs[0]!.id}: ${VERDICT[row.vsFirst[i]!] ?? row.vsFirst[i]}`;
        return s;
      }),
    ]);
  }
  const widths = header.map((_, c) => Math.max(...lines.map((l) => (l[c] ?? '').length)));
  const text = lines.map((l) => l.map((x, c) => x.padEnd(widths[c]!)).join('  ')).join('\n');
  const notes = t.notes.map((x) => `  note: ${x}`).join('\n');
  return `${text}\n  [a, b] = 95 % interval; rnd = random subset of the same size (5 seeds); n.s. = no significant difference\n${notes}${t.caveat ? `\n  caveat: ${t.caveat}` : ''}`;
}

export function formatRunStats(run: RunDto): string {
  const stats = run.stats as {
    steps?: { label: string; count: number }[];
    derived?: { label: string; value: unknown; note?: string }[];
    notes?: string[];
  };
  const steps = (stats.steps ?? []).map((s) => `  ${s.label.padEnd(40)} ${n(s.count)}`).join('\n');
  const derived = (stats.derived ?? [])
    .map((d) => `  ${d.label}: ${String(d.value)}${d.note ? ` (${d.note})` : ''}`)
    .join('\n');
  const notes = (stats.notes ?? []).map((x) => `  note: ${x}`).join('\n');
  return [`  kept ${n(run.kept)} of ${n(run.eligible)} eligible pairs`, steps, derived, notes]
    .filter(Boolean)
    .join('\n');
}

function examples(e: { count: number; examples: string[] }): string {
  if (!e.count) return '';
  const more = e.count > e.examples.length ? ', …' : '';
  return `  (e.g. ${e.examples.join(', ')}${more})`;
}

/** The matched / unmatched report of an embeddings import. */
export function formatImportReport(datasetId: number, r: ImportReportDto): string {
  const text = r.textDims ? `, text ${r.textDims}-d` : ', no text embeddings';
  if (r.into) {
    const t = r.into;
    return [
      `imported into the ${t.featureSet} features of dataset ${datasetId}: image ${r.imageDims}-d ${r.dtype}${text}${r.resumed ? ' (resumed)' : ''}`,
      `  matched by ${r.keyField}   ${n(r.matched)} of ${n(r.sourceRows)} embedding rows`,
      `  filled                  ${n(t.filled)} pairs that had no vector`,
      `  already had one (kept)  ${n(t.alreadyHad)}`,
      `  failed locally (kept)   ${n(t.localErrors)}`,
      ...(t.filledWithoutText
        ? [
            `  filled without text     ${n(t.filledWithoutText)} (the source has no text vectors: these pairs have none)`,
          ]
        : []),
      `  unmatched rows          ${n(r.unmatched.count)}${examples(r.unmatched)}`,
      `  duplicate keys          ${n(r.duplicates.count)}${examples(r.duplicates)}`,
      `  pairs without a vector  ${n(r.pairsWithoutVector.count)} of ${n(r.pairs)}${examples(r.pairsWithoutVector)}`,
      `  filled pairs have no patch codes: compress with TL;DR --features embedding (or WFPP, random, …)`,
      `  files in ${r.folder}`,
    ].join('\n');
  }
  return [
    `imported ${r.model} into dataset ${datasetId}: image ${r.imageDims}-d ${r.dtype}${text}${r.resumed ? ' (resumed)' : ''}`,
    `  matched by ${r.keyField}   ${n(r.matched)} of ${n(r.sourceRows)} embedding rows`,
    `  unmatched rows          ${n(r.unmatched.count)}${examples(r.unmatched)}`,
    `  duplicate keys          ${n(r.duplicates.count)}${examples(r.duplicates)}`,
    `  pairs without a vector  ${n(r.pairsWithoutVector.count)} of ${n(r.pairs)}${examples(r.pairsWithoutVector)}`,
    `  use it with: tldr-studio compress ${datasetId} --model ${r.model}`,
    `  files in ${r.folder}`,
  ].join('\n');
}
