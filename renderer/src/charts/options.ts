// ECharts options from contract data: pure functions, so tests check them without a DOM.
import type { EChartsCoreOption } from 'echarts/core';
import type { HistogramDto, WordFrequencyDto } from '../../../main/api/schemas';
import type { ChartPalette } from './palette';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Label of integer bin [lo, hi): "7" for a one-value bin, else "lo–(hi−1)". */
export function binLabel(lo: number | undefined, hi: number | undefined): string {
  if (lo === undefined) return '';
  if (hi === undefined || hi - lo <= 1) return String(lo);
  return `${lo}–${hi - 1}`;
}

function axisStyle(p: ChartPalette) {
  return {
    axisLabel: { color: p.muted },
    axisLine: { lineStyle: { color: p.axis } },
    axisTick: { lineStyle: { color: p.axis } },
    nameTextStyle: { color: p.muted },
    splitLine: { lineStyle: { color: p.grid } },
  };
}

function tooltipStyle(p: ChartPalette) {
  return { backgroundColor: p.tooltipBg, borderColor: p.axis, textStyle: { color: p.text } };
}

/** Pixels the widest value-axis label (e.g. "700,000") takes at ECharts' 12 px default font. */
export function valueLabelWidth(max: number): number {
  return Math.ceil(Math.max(1, max).toLocaleString('en-US').length * 7 + 8);
}

/**
 * Every how-many-th category label to skip so the labels fit side by side in the narrowest
 * chart the app draws (about 280 px of axis, 7 px per character at 12 px).
 */
export function categoryLabelInterval(labels: readonly string[], axisPx = 280): number {
  const widest = Math.max(1, ...labels.map((l) => l.length)) * 7 + 12;
  const fit = Math.max(1, Math.floor(axisPx / widest));
  return Math.max(0, Math.ceil(labels.length / fit) - 1);
}

export interface HistogramOptions {
  title: string;
  /** What the x axis counts: "words", "px". */
  unit: string;
  palette: ChartPalette;
}

export function histogramOption(h: HistogramDto, o: HistogramOptions): EChartsCoreOption {
  const labels = h.counts.map((_, i) => binLabel(h.edges[i], h.edges[i + 1]));
  const p = o.palette;
  return {
    animation: false,
    aria: { enabled: true },
    title: { text: o.title, left: 0, top: 0, textStyle: { color: p.text, fontSize: 13, fontWeight: 600 } },
    // Margins sized for the labels up front: ECharts' own fitting (outerBoundsMode) lays
    // every axis label out twice, the largest part of a chart's first draw.
    grid: {
      left: 8 + valueLabelWidth(Math.max(0, ...h.counts)),
      right: 12,
      top: 46,
      bottom: 44,
      outerBoundsMode: 'none',
    },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      ...tooltipStyle(p),
      formatter: (params: unknown) => {
        const first = (params as { dataIndex: number; value: number }[])[0];
        if (!first) return '';
        return `${escapeHtml(labels[first.dataIndex] ?? '')} ${escapeHtml(o.unit)}: ${first.value.toLocaleString('en-US')} pairs`;
      },
    },
    xAxis: {
      type: 'category',
      data: labels,
      name: o.unit,
      nameLocation: 'middle',
      nameGap: 24,
      ...axisStyle(p),
      // A label interval fixed from the labels' length spares ECharts measuring every
      // label to choose one (most of a chart's first draw).
      axisLabel: { color: p.muted, interval: categoryLabelInterval(labels) },
      splitLine: { show: false },
    },
    yAxis: { type: 'value', name: 'pairs', minInterval: 1, ...axisStyle(p) },
    series: [
      { type: 'bar', name: o.title, data: h.counts, barCategoryGap: '6%', itemStyle: { color: p.accent } },
    ],
  };
}

/**
 * The ranks to plot: every one of the first 100, then log-spaced, so a vocabulary of a
 * million words draws as fast as one of a thousand and still shows the tail.
 */
export function logSample(words: readonly WordFrequencyDto[], maxPoints = 600): WordFrequencyDto[] {
  if (words.length <= maxPoints) return [...words];
  const out: WordFrequencyDto[] = words.slice(0, 100);
  const rest = maxPoints - 100;
  const lo = Math.log(100);
  const hi = Math.log(words.length - 1);
  let last = 99;
  for (let i = 1; i <= rest; i++) {
    const idx = Math.round(Math.exp(lo + ((hi - lo) * i) / rest));
    if (idx > last && idx < words.length) {
      out.push(words[idx]!);
      last = idx;
    }
  }
  return out;
}

/** Least-squares line through log10(count) against log10(rank): Zipf's s is −slope. */
export function zipfFit(words: readonly WordFrequencyDto[]): { s: number; intercept: number } | undefined {
  const pts = words
    .filter((w) => w.rank > 0 && w.count > 0)
    .map((w) => [Math.log10(w.rank), Math.log10(w.count)] as const);
  if (pts.length < 3) return undefined;
  const n = pts.length;
  const mx = pts.reduce((a, p) => a + p[0], 0) / n;
  const my = pts.reduce((a, p) => a + p[1], 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of pts) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) * (x - mx);
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  return { s: -slope, intercept: my - slope * mx };
}

export function rankFrequencyOption(
  words: readonly WordFrequencyDto[],
  palette: ChartPalette,
): EChartsCoreOption {
  const p = palette;
  const sample = logSample(words);
  const fit = zipfFit(sample);
  const maxRank = words.at(-1)?.rank ?? 1;
  const series: unknown[] = [
    {
      type: 'line',
      name: 'words',
      showSymbol: sample.length <= 200,
      symbolSize: 4,
      data: sample.map((w) => ({ value: [w.rank, w.count], name: w.word })),
      lineStyle: { color: p.accent, width: 2 },
      itemStyle: { color: p.accent },
    },
  ];
  if (fit) {
    series.push({
      type: 'line',
      name: `Zipf fit, s = ${fit.s.toFixed(2)}`,
      showSymbol: false,
      silent: true,
      data: [
        [1, 10 ** fit.intercept],
        [maxRank, 10 ** (fit.intercept - fit.s * Math.log10(maxRank))],
      ],
      lineStyle: { color: p.accent2, type: 'dashed', width: 1.5 },
      itemStyle: { color: p.accent2 },
    });
  }
  return {
    animation: false,
    aria: { enabled: true },
    title: {
      text: 'Rank–frequency (log–log)',
      left: 0,
      top: 0,
      textStyle: { color: p.text, fontSize: 13, fontWeight: 600 },
    },
    legend: { right: 0, top: 0, textStyle: { color: p.muted } },
    grid: { left: 8, right: 16, top: 48, bottom: 24 },
    tooltip: {
      trigger: 'item',
      ...tooltipStyle(p),
      formatter: (param: unknown) => {
        const d = param as { seriesIndex: number; name?: string; value: [number, number] };
        if (d.seriesIndex !== 0) return '';
        return `#${d.value[0].toLocaleString('en-US')} <b>${escapeHtml(d.name ?? '')}</b>: ${d.value[1].toLocaleString('en-US')}`;
      },
    },
    xAxis: {
      type: 'log',
      name: 'rank',
      nameLocation: 'middle',
      nameGap: 24,
      min: 1,
      logBase: 10,
      ...axisStyle(p),
    },
    yAxis: { type: 'log', name: 'count', min: 1, logBase: 10, ...axisStyle(p) },
    series,
  };
}
