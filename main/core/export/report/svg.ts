// Inline SVG charts made here, so the report needs no script, font or network. Colours
// and strokes come from CSS classes (the report's one <style> element), never from style
// attributes, so a strict Content-Security-Policy still applies them.
import { esc, fmt } from './html';

const W = 640;
const H = 280;
const M = { l: 64, r: 16, t: 14, b: 44 };

type Scale = (v: number) => number;

function linearScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

function logScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const a = Math.log10(d0);
  const b = Math.log10(d1);
  const span = b - a || 1;
  return (v) => r0 + ((Math.log10(v) - a) / span) * (r1 - r0);
}

export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    const v = 10 ** e;
    if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
  }
  return out.length ? out : [lo, hi];
}

const n2 = (v: number) => (Math.round(v * 10) / 10).toString();

function axes(a: {
  x: Scale;
  y: Scale;
  xTicks: number[];
  yTicks: number[];
  xLabel: string;
  yLabel: string;
}): string {
  const parts: string[] = [];
  const x0 = M.l;
  const x1 = W - M.r;
  const y0 = H - M.b;
  const y1 = M.t;
  for (const t of a.yTicks) {
    const y = n2(a.y(t));
    parts.push(`<line class="grid" x1="${x0}" x2="${x1}" y1="${y}" y2="${y}"/>`);
    parts.push(
      `<text class="tick" x="${x0 - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(fmt(t))}</text>`,
    );
  }
  for (const t of a.xTicks) {
    const x = n2(a.x(t));
    parts.push(`<line class="grid" x1="${x}" x2="${x}" y1="${y1}" y2="${y0}"/>`);
    parts.push(`<text class="tick" x="${x}" y="${y0 + 16}" text-anchor="middle">${esc(fmt(t))}</text>`);
  }
  parts.push(`<line class="axis" x1="${x0}" x2="${x1}" y1="${y0}" y2="${y0}"/>`);
  parts.push(`<line class="axis" x1="${x0}" x2="${x0}" y1="${y1}" y2="${y0}"/>`);
  parts.push(
    `<text class="label" x="${(x0 + x1) / 2}" y="${H - 6}" text-anchor="middle">${esc(a.xLabel)}</text>`,
  );
  parts.push(
    `<text class="label" x="14" y="${(y0 + y1) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(y0 + y1) / 2})">${esc(a.yLabel)}</text>`,
  );
  return parts.join('');
}

function svg(title: string, body: string): string {
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>${body}</svg>`;
}

export interface LegendItem {
  name: string;
  color: number;
  ghost?: boolean;
  dashed?: boolean;
}

export function legend(items: LegendItem[]): string {
  return `<p class="legend">${items
    .map(
      (i) =>
        `<span class="key"><span class="swatch ${i.ghost ? 'ghost' : `c${i.color % 8}`}${i.dashed ? ' dashed' : ''}"></span>${esc(i.name)}</span>`,
    )
    .join('')}</p>`;
}

export interface LineSeries {
  name: string;
  points: [number, number][];
  color: number;
  ghost?: boolean;
  dashed?: boolean;
}

/** Lines on linear or log axes (the rank/frequency chart is log-log). Non-positive values are dropped on log axes. */
export function lineChart(o: {
  title: string;
  series: LineSeries[];
  xLabel: string;
  yLabel: string;
  xLog?: boolean;
  yLog?: boolean;
}): string {
  const usable = o.series.map((s) => ({
    ...s,
    points: s.points.filter(
      ([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!o.xLog || x > 0) && (!o.yLog || y > 0),
    ),
  }));
  const all = usable.flatMap((s) => s.points);
  if (all.length === 0) return `<p class="empty">${esc(o.title)}: no data.</p>`;
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  let [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  let [yMin, yMax] = [Math.min(...ys), Math.max(...ys)];
  if (!o.yLog) yMin = Math.min(0, yMin);
  if (xMax === xMin) xMax = o.xLog ? xMin * 10 : xMin + 1;
  if (yMax === yMin) yMax = o.yLog ? yMin * 10 : yMin + 1;
  if (o.xLog) [xMin, xMax] = [10 ** Math.floor(Math.log10(xMin)), 10 ** Math.ceil(Math.log10(xMax))];
  if (o.yLog) [yMin, yMax] = [10 ** Math.floor(Math.log10(yMin)), 10 ** Math.ceil(Math.log10(yMax))];
  const x = (o.xLog ? logScale : linearScale)(xMin, xMax, M.l, W - M.r);
  const y = (o.yLog ? logScale : linearScale)(yMin, yMax, H - M.b, M.t);
  const body = [
    axes({
      x,
      y,
      xTicks: o.xLog ? logTicks(xMin, xMax) : niceTicks(xMin, xMax),
      yTicks: o.yLog ? logTicks(yMin, yMax) : niceTicks(yMin, yMax),
      xLabel: o.xLabel,
      yLabel: o.yLabel,
    }),
    ...usable
      .filter((s) => s.points.length > 0)
      .map((s) => {
        const d = s.points.map(([px, py], i) => `${i ? 'L' : 'M'}${n2(x(px))} ${n2(y(py))}`).join('');
        return `<path class="line ${s.ghost ? 'ghost' : `c${s.color % 8}`}${s.dashed ? ' dashed' : ''}" d="${d}"><title>${esc(s.name)}</title></path>`;
      }),
  ].join('');
  return `<figure>${svg(o.title, body)}${legend(usable)}</figure>`;
}

/**
 * Histogram(s) on shared bins, each series as a share of its own total so a 25 % subset
 * compares with its pool. The first series marked `ghost` is drawn behind as the reference.
 */
export function histogramChart(o: {
  title: string;
  edges: number[];
  series: { name: string; counts: number[]; color: number; ghost?: boolean }[];
  xLabel: string;
}): string {
  const bins = o.edges.length - 1;
  const series = o.series.filter((s) => s.counts.length === bins);
  if (bins < 1 || series.length === 0) return `<p class="empty">${esc(o.title)}: no data.</p>`;
  const shares = series.map((s) => {
    const total = s.counts.reduce((a, b) => a + b, 0) || 1;
    return s.counts.map((c) => c / total);
  });
  const yMax = Math.max(...shares.flat(), 1e-9);
  const x = linearScale(o.edges[0]!, o.edges[bins]!, M.l, W - M.r);
  const y = linearScale(0, yMax * 1.05, H - M.b, M.t);
  const xt = niceTicks(o.edges[0]!, o.edges[bins]!);
  const bars = series.map((s, k) => {
    const cls = s.ghost ? 'bar ghost' : `bar c${s.color % 8}`;
    return shares[k]!.map((v, b) => {
      if (v <= 0) return '';
      const x0 = x(o.edges[b]!);
      const x1 = x(o.edges[b + 1]!);
      return `<rect class="${cls}" x="${n2(x0)}" y="${n2(y(v))}" width="${n2(Math.max(0.5, x1 - x0 - 0.5))}" height="${n2(y(0) - y(v))}"><title>${esc(
        `${s.name}: ${fmt(o.edges[b]!)}–${fmt(o.edges[b + 1]!)}: ${fmt(s.counts[b]!)} pairs (${fmt(v * 100)} %)`,
      )}</title></rect>`;
    }).join('');
  });
  const body =
    axes({
      x,
      y,
      xTicks: xt,
      yTicks: niceTicks(0, yMax * 1.05),
      xLabel: o.xLabel,
      yLabel: 'share of pairs',
    }) + bars.join('');
  return `<figure>${svg(o.title, body)}${legend(series)}</figure>`;
}

/** Horizontal bars with their values (counts after each step). */
export function barList(o: {
  title: string;
  items: { label: string; value: number }[];
  color: number;
}): string {
  if (o.items.length === 0) return `<p class="empty">${esc(o.title)}: no data.</p>`;
  const rowH = 26;
  const h = o.items.length * rowH + 10;
  const labelW = 260;
  const max = Math.max(...o.items.map((i) => i.value), 1);
  const width = W - labelW - 90;
  const rows = o.items
    .map((it, k) => {
      const y = 5 + k * rowH;
      const w = Math.max(1, (it.value / max) * width);
      return (
        `<text class="tick" x="${labelW - 8}" y="${y + rowH / 2}" text-anchor="end" dominant-baseline="middle">${esc(it.label)}</text>` +
        `<rect class="bar c${o.color % 8}" x="${labelW}" y="${y + 4}" width="${n2(w)}" height="${rowH - 8}"/>` +
        `<text class="tick" x="${n2(labelW + w + 6)}" y="${y + rowH / 2}" dominant-baseline="middle">${esc(fmt(it.value))}</text>`
      );
    })
    .join('');
  return `<figure><svg class="chart" viewBox="0 0 ${W} ${h}" role="img" aria-label="${esc(o.title)}"><title>${esc(o.title)}</title>${rows}</svg></figure>`;
}

/** Pairs per cluster, clusters ordered by their size before selection, before (behind) and after. */
export function clusterChart(o: {
  title: string;
  before?: number[] | undefined;
  after: number[];
  color: number;
}): string {
  const order = Array.from({ length: o.after.length }, (_, i) => i);
  const ref = o.before && o.before.length === o.after.length ? o.before : o.after;
  order.sort((a, b) => ref[b]! - ref[a]! || a - b);
  const series: LineSeries[] = [];
  if (o.before && o.before.length === o.after.length) {
    series.push({
      name: 'before',
      points: order.map((c, i) => [i + 1, o.before![c]!]),
      color: 0,
      ghost: true,
    });
  }
  series.push({ name: 'after', points: order.map((c, i) => [i + 1, o.after[c]!]), color: o.color });
  return lineChart({ title: o.title, series, xLabel: 'cluster (largest first)', yLabel: 'pairs' });
}
