// ReportData → one self-contained HTML page: inline CSS (allowed by hash in the page's own
// Content-Security-Policy), inline SVG charts, no script, no external reference. Pure.
import { createHash } from 'node:crypto';
import { esc, flatten, fmt, fmtValue } from './html';
import type { ReportData, ReportMetric, ReportReference, ReportRunData } from './report-data';
import { barList, clusterChart, histogramChart, lineChart, type LineSeries } from './svg';

export const DEFAULT_CAVEAT =
  'Small-scale proxies can mis-rank methods: these numbers are a cheap stand-in for pre-training a vision-language model, not a substitute for it.';

const CSS = `
:root{color-scheme:light;--fg:#1d2430;--muted:#5b6472;--line:#d8dde5;--bg:#fff;--band:#f4f6f9}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1100px;padding:24px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:14px;margin:16px 0 4px}
.meta,.muted{color:var(--muted)}
.caveat{background:#fff7e0;border:1px solid #f0d68a;border-radius:6px;padding:8px 12px}
table{border-collapse:collapse;width:100%;margin:6px 0}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
thead th{background:var(--band);font-weight:600}
tr.group th{background:var(--band);font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
td.num{font-variant-numeric:tabular-nums}
.ci{color:var(--muted);font-size:12px}
.ref{color:var(--muted);font-size:12px}
.verdict{font-size:11px;border-radius:3px;padding:0 4px;margin-left:4px;white-space:nowrap}
.verdict.up{background:#e3f4e6;color:#1d6b2c}.verdict.down{background:#fbe4e4;color:#8a1f1f}
.verdict.ns{background:#eceff3;color:#4a5361}.verdict.other{background:#eef0ff;color:#34408a}
figure{margin:8px 0 16px}
.chart{width:100%;max-width:720px;height:auto;display:block}
.grid{stroke:#eceff3;stroke-width:1}.axis{stroke:#8a93a1;stroke-width:1}
.tick{font-size:11px;fill:#5b6472}.label{font-size:12px;fill:#1d2430}
.line{fill:none;stroke-width:2}.line.dashed{stroke-dasharray:5 4}
.bar{stroke:none}.bar.ghost{fill:#c9ced6}.line.ghost{stroke:#9aa3af}
.bar.c0,.bar.c1,.bar.c2,.bar.c3,.bar.c4,.bar.c5,.bar.c6,.bar.c7{fill-opacity:.75}
.c0{stroke:#1f5fa8;fill:#1f5fa8}.c1{stroke:#d2691e;fill:#d2691e}.c2{stroke:#2e8b57;fill:#2e8b57}.c3{stroke:#8b3a9c;fill:#8b3a9c}
.c4{stroke:#b22222;fill:#b22222}.c5{stroke:#008b8b;fill:#008b8b}.c6{stroke:#8b7d00;fill:#8b7d00}.c7{stroke:#4b4b4b;fill:#4b4b4b}
.legend{margin:2px 0 0;font-size:12px}.key{margin-right:14px;white-space:nowrap}
.swatch{display:inline-block;width:14px;height:10px;margin-right:5px;vertical-align:middle;border:2px solid}
.swatch.ghost{background:#c9ced6;border-color:#9aa3af}.swatch.dashed{border-style:dashed}
.swatch.c0{background:#1f5fa8}.swatch.c1{background:#d2691e}.swatch.c2{background:#2e8b57}.swatch.c3{background:#8b3a9c}
.swatch.c4{background:#b22222}.swatch.c5{background:#008b8b}.swatch.c6{background:#8b7d00}.swatch.c7{background:#4b4b4b}
.runs{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:8px 24px}
.empty{color:var(--muted);font-style:italic}
dl.params{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:4px 0}dl.params dt{color:var(--muted)}dl.params dd{margin:0;word-break:break-word}
footer{margin-top:32px;color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:8px}
`.trim();

function verdictClass(v: string): string {
  if (v === 'better') return 'up';
  if (v === 'worse') return 'down';
  if (v === 'no significant difference') return 'ns';
  return 'other';
}

function verdictBadge(v: string | undefined, prefix = ''): string {
  if (!v) return '';
  const text =
    v === 'no significant difference'
      ? '≈ no significant difference'
      : v === 'better'
        ? '▲ better'
        : v === 'worse'
          ? '▼ worse'
          : v;
  return `<span class="verdict ${verdictClass(v)}">${esc(prefix)}${esc(text)}</span>`;
}

function interval(low: number | undefined, high: number | undefined): string {
  if (low === undefined || high === undefined || !Number.isFinite(low) || !Number.isFinite(high)) return '';
  return ` <span class="ci">[${esc(fmt(low))}, ${esc(fmt(high))}]</span>`;
}

function referenceLine(r: ReportReference): string {
  return `<div class="ref">${esc(r.label)}: ${esc(fmt(r.value))}${interval(r.low, r.high)}${verdictBadge(r.verdict, 'vs it: ')}</div>`;
}

function metricCell(m: ReportMetric | undefined): string {
  if (!m) return '<td class="num muted">–</td>';
  return `<td class="num"><span class="v">${esc(fmt(m.value))}</span>${interval(m.low, m.high)}${verdictBadge(m.verdict)}${(
    m.references ?? []
  )
    .map(referenceLine)
    .join('')}</td>`;
}

function compareTable(runs: ReportRunData[]): string {
  if (runs.length === 0) return '<p class="empty">No runs selected.</p>';
  const groups: string[] = [];
  const byGroup = new Map<string, string[]>();
  for (const r of runs) {
    for (const m of r.metrics) {
      const g = m.group ?? '';
      if (!byGroup.has(g)) {
        byGroup.set(g, []);
        groups.push(g);
      }
      const names = byGroup.get(g)!;
      if (!names.includes(m.name)) names.push(m.name);
    }
  }
  const head = `<thead><tr><th scope="col">Metric</th>${runs
    .map(
      (r) =>
        `<th scope="col">${esc(r.label)}<br><span class="muted">${esc(r.method)} · ${esc(fmt(r.kept))} of ${esc(fmt(r.eligible))} kept${
          r.eligible > 0 ? ` (${esc(fmt((100 * r.kept) / r.eligible))} %)` : ''
        }</span></th>`,
    )
    .join('')}</tr></thead>`;
  const rows: string[] = [];
  for (const g of groups) {
    if (g) rows.push(`<tr class="group"><th colspan="${runs.length + 1}">${esc(g)}</th></tr>`);
    for (const name of byGroup.get(g)!) {
      const cells = runs.map((r) =>
        metricCell(r.metrics.find((m) => m.name === name && (m.group ?? '') === g)),
      );
      const first = runs
        .map((r) => r.metrics.find((m) => m.name === name))
        .find((m) => m?.higherIsBetter !== undefined);
      const dir =
        first?.higherIsBetter === undefined
          ? ''
          : first.higherIsBetter
            ? ' <span class="muted">(higher is better)</span>'
            : ' <span class="muted">(lower is better)</span>';
      rows.push(`<tr><th scope="row">${esc(name)}${dir}</th>${cells.join('')}</tr>`);
    }
  }
  if (rows.length === 0) {
    return `<table class="compare">${head}</table><p class="empty">None of these runs has been evaluated yet: evaluate them to fill the table.</p>`;
  }
  return `<table class="compare">${head}<tbody>${rows.join('')}</tbody></table>`;
}

function stepsSection(runs: ReportRunData[]): string {
  const parts = runs.map(
    (r, i) =>
      `<div><h3>${esc(r.label)}</h3>${
        r.steps.length
          ? barList({
              title: `Pairs after each step: ${r.label}`,
              items: r.steps.map((s) => ({ label: s.label, value: s.count })),
              color: i + 1,
            })
          : '<p class="empty">No step counts stored.</p>'
      }</div>`,
  );
  return `<div class="runs">${parts.join('')}</div>`;
}

function wordsSection(d: ReportData): string {
  const series: LineSeries[] = [];
  if (d.words?.length)
    series.push({ name: 'full set', points: d.words.map((p) => [p.rank, p.count]), color: 0 });
  d.runs.forEach((r, i) => {
    if (!r.words) return;
    if (!d.words?.length && i === 0 && r.words.before?.length) {
      series.push({
        name: `pool (before ${r.label})`,
        points: r.words.before.map((p) => [p.rank, p.count]),
        color: 0,
      });
    }
    series.push({
      name: `after ${r.label}`,
      points: r.words.after.map((p) => [p.rank, p.count]),
      color: i + 1,
      dashed: i % 2 === 1,
    });
  });
  if (series.length === 0) return '<p class="empty">No word counts: index captions first.</p>';
  return lineChart({
    title: 'Word rank / frequency (log-log)',
    series,
    xLabel: 'rank (log)',
    yLabel: 'count (log)',
    xLog: true,
    yLog: true,
  });
}

function alignmentSection(runs: ReportRunData[]): string {
  const charts = runs
    .map((r, i) =>
      r.alignment
        ? `<div><h3>${esc(r.label)}</h3>${histogramChart({
            title: `Alignment scores: ${r.label}`,
            edges: r.alignment.edges,
            series: [
              ...(r.alignment.before
                ? [{ name: 'pool (before)', counts: r.alignment.before, color: 0, ghost: true }]
                : []),
              { name: 'kept (after)', counts: r.alignment.after, color: i + 1 },
            ],
            xLabel: 'image–text alignment score',
          })}</div>`
        : '',
    )
    .filter(Boolean);
  return charts.length
    ? `<div class="runs">${charts.join('')}</div>`
    : '<p class="empty">No alignment scores in these runs’ evaluations (they need image and text features).</p>';
}

function clustersSection(runs: ReportRunData[]): string {
  const charts = runs
    .map((r, i) =>
      r.clusters
        ? `<div><h3>${esc(r.label)}</h3>${clusterChart({ title: `Cluster sizes: ${r.label}`, before: r.clusters.before, after: r.clusters.after, color: i + 1 })}</div>`
        : '',
    )
    .filter(Boolean);
  return charts.length
    ? `<div class="runs">${charts.join('')}</div>`
    : '<p class="empty">No cluster sizes in these runs’ evaluations.</p>';
}

function paramsSection(runs: ReportRunData[]): string {
  return `<div class="runs">${runs
    .map((r) => {
      const rows: [string, unknown][] = [
        ['method', r.method],
        ['run id', r.id],
        ['seed', r.seed ?? '–'],
        ['kept / eligible', `${fmt(r.kept)} / ${fmt(r.eligible)}`],
        ...(r.createdAt ? ([['created', r.createdAt]] as [string, unknown][]) : []),
        ...flatten(r.params).map(([k, v]) => [`params.${k}`, v] as [string, unknown]),
        ...(r.derived ?? []).map(
          (p) => [p.label, p.note ? `${fmtValue(p.value)} (${p.note})` : p.value] as [string, unknown],
        ),
      ];
      return `<div><h3>${esc(r.label)}</h3><dl class="params">${rows
        .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(fmtValue(v))}</dd>`)
        .join('')}</dl></div>`;
    })
    .join('')}</div>`;
}

function notesSection(d: ReportData): string {
  const notes = [...d.notes, ...d.runs.flatMap((r) => r.notes.map((n) => `${r.label}: ${n}`))];
  const unique = [...new Set(notes)];
  return unique.length
    ? `<ul>${unique.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`
    : '<p class="empty">No notes.</p>';
}

/** The Content-Security-Policy the page declares for itself: no script, no network, only its own style. */
export function reportCsp(): string {
  const hash = createHash('sha256').update(CSS, 'utf8').digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'`;
}

export function renderReport(d: ReportData): string {
  const caveat = d.caveat.trim() || DEFAULT_CAVEAT;
  const ds = d.dataset;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${esc(reportCsp())}">
<meta name="generator" content="TL;DR Studio ${esc(d.appVersion)}">
<title>${esc(d.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(d.title)}</h1>
<p class="meta">Dataset <strong>${esc(ds.name)}</strong> (${esc(ds.format)}, ${esc(fmt(ds.pairs))} pairs, ${esc(fmt(ds.ok))} usable, ${esc(fmt(ds.errors))} with errors${
    ds.vocabulary !== undefined ? `, vocabulary ${esc(fmt(ds.vocabulary))}` : ''
  }) at <code>${esc(ds.root)}</code><br>Generated ${esc(d.generatedAt)} by TL;DR Studio ${esc(d.appVersion)}.</p>
</header>
<p class="caveat"><strong>Caveat.</strong> ${esc(caveat)}</p>
<section id="compare">
<h2>Comparison</h2>
<p class="muted">Each cell: the value, its interval when there is one, and the verdict as stored (“no significant difference” when the intervals do not separate). Verdicts are never recomputed here.</p>
${compareTable(d.runs)}
</section>
<section id="steps">
<h2>Counts after each step</h2>
${stepsSection(d.runs)}
</section>
<section id="words">
<h2>Word frequency</h2>
${wordsSection(d)}
</section>
<section id="alignment">
<h2>Alignment scores</h2>
${alignmentSection(d.runs)}
</section>
<section id="clusters">
<h2>Cluster sizes</h2>
${clustersSection(d.runs)}
</section>
<section id="parameters">
<h2>Parameters</h2>
${paramsSection(d.runs)}
</section>
<section id="notes">
<h2>Notes</h2>
${notesSection(d)}
</section>
<footer>TL;DR Studio ${esc(d.appVersion)} · ${esc(d.generatedAt)} · ${esc(caveat)}</footer>
</body>
</html>
`;
}
