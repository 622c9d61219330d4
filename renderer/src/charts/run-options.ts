// ECharts options for features and runs (codebook usage, alignment, cluster occupancy,
// words before/after): pure functions of contract data and the palette.
import type { EChartsCoreOption } from 'echarts/core';
import { escapeHtml } from './options';
import type { ChartPalette } from './palette';

/** Colours for several runs on one chart, per theme (distinct in both). */
export const SERIES_COLOURS: Record<'light' | 'dark', string[]> = {
  light: ['#2f6fde', '#d9582b', '#1e7a3a', '#8e44ad', '#b8860b', '#00838f'],
  dark: ['#6ea2ff', '#ff8a5c', '#7ad197', '#c99cf0', '#f2c15c', '#5fd3dc'],
};

function axis(p: ChartPalette) {
  return {
    axisLabel: { color: p.muted },
    axisLine: { lineStyle: { color: p.axis } },
    axisTick: { lineStyle: { color: p.axis } },
    nameTextStyle: { color: p.muted },
    splitLine: { lineStyle: { color: p.grid } },
  };
}

function title(text: string, p: ChartPalette) {
  return { text, left: 0, top: 0, textStyle: { color: p.text, fontSize: 13, fontWeight: 600 } };
}

function tooltip(p: ChartPalette) {
  return { backgroundColor: p.tooltipBg, borderColor: p.axis, textStyle: { color: p.text } };
}

/** Codebook usage, most used code first. */
export function sortedUsage(usage: readonly number[]): number[] {
  return [...usage].sort((a, b) => b - a);
}

export function codeUsageOption(usage: readonly number[], p: ChartPalette): EChartsCoreOption {
  const sorted = sortedUsage(usage);
  const used = sorted.filter((c) => c > 0).length;
  return {
    animation: false,
    aria: { enabled: true },
    title: title(`Codebook usage, sorted (${used} of ${usage.length} codes used)`, p),
    grid: { left: 8, right: 12, top: 46, bottom: 24 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      ...tooltip(p),
      formatter: (params: unknown) => {
        const first = (params as { dataIndex: number; value: number }[])[0];
        if (!first) return '';
        return `code rank ${first.dataIndex + 1}: ${first.value.toLocaleString('en-US')} patches`;
      },
    },
    xAxis: {
      type: 'category',
      data: sorted.map((_, i) => i + 1),
      name: 'code (by use)',
      nameLocation: 'middle',
      nameGap: 24,
      ...axis(p),
      splitLine: { show: false },
      axisLabel: { color: p.muted, interval: Math.max(0, Math.ceil(sorted.length / 10) - 1) },
    },
    yAxis: { type: 'value', name: 'patches', minInterval: 1, ...axis(p) },
    series: [
      { type: 'bar', name: 'uses', data: sorted, barCategoryGap: '0%', itemStyle: { color: p.accent } },
    ],
  };
}

const share = (counts: readonly number[]) => {
  const t = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (t ? Math.round((1e4 * c) / t) / 100 : 0));
};

export interface RunSeries<T> {
  label: string;
  data: T;
}

/** Alignment-score histograms: the pool (before) dashed, each run's kept pairs (after) solid, as shares. */
export function alignmentOption(
  runs: readonly RunSeries<{ edges: number[]; before: number[]; after: number[] }>[],
  p: ChartPalette,
  colours: readonly string[],
): EChartsCoreOption {
  const edges = runs[0]?.data.edges ?? [];
  const labels = edges.slice(0, -1).map((e, i) => ((e + edges[i + 1]!) / 2).toFixed(2));
  const series: unknown[] = [];
  runs.forEach((r, i) => {
    const c = colours[i % colours.length]!;
    series.push({
      type: 'line',
      name: `${r.label} · before`,
      data: share(r.data.before),
      showSymbol: false,
      lineStyle: { color: c, type: 'dashed', width: 1.5 },
      itemStyle: { color: c },
    });
    series.push({
      type: 'line',
      name: `${r.label} · after`,
      data: share(r.data.after),
      showSymbol: false,
      lineStyle: { color: c, width: 2.5 },
      itemStyle: { color: c },
      areaStyle: { color: c, opacity: 0.08 },
    });
  });
  return {
    animation: false,
    aria: { enabled: true },
    title: title('Alignment score (share of pairs per bin)', p),
    legend: { top: 22, left: 0, type: 'scroll', textStyle: { color: p.muted } },
    grid: { left: 8, right: 16, top: 76, bottom: 24 },
    tooltip: { trigger: 'axis', ...tooltip(p), valueFormatter: (v: unknown) => `${String(v)} %` },
    xAxis: { type: 'category', data: labels, name: 'score', nameLocation: 'middle', nameGap: 24, ...axis(p) },
    yAxis: { type: 'value', name: '%', ...axis(p) },
    series,
  };
}

/** Cluster occupancy of the pool and of each run, clusters ordered by their pool size. */
export function occupancyOption(
  runs: readonly RunSeries<{ before: number[]; after: number[] }>[],
  p: ChartPalette,
  colours: readonly string[],
): EChartsCoreOption {
  const before = runs[0]?.data.before ?? [];
  const order = before
    .map((c, i) => [c, i] as const)
    .sort((a, b) => b[0] - a[0])
    .map(([, i]) => i);
  const pick = (arr: readonly number[]) => order.map((i) => arr[i] ?? 0);
  const series: unknown[] = [
    { type: 'bar', name: 'pool (before)', data: share(pick(before)), itemStyle: { color: p.axis } },
    ...runs.map((r, i) => ({
      type: 'bar',
      name: r.label,
      data: share(pick(r.data.after)),
      itemStyle: { color: colours[i % colours.length] },
    })),
  ];
  return {
    animation: false,
    aria: { enabled: true },
    title: title('Cluster occupancy (share of pairs per reference cluster)', p),
    legend: { top: 22, left: 0, type: 'scroll', textStyle: { color: p.muted } },
    grid: { left: 8, right: 16, top: 76, bottom: 24 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, ...tooltip(p) },
    xAxis: {
      type: 'category',
      data: order.map((i) => `#${i}`),
      name: 'cluster (by pool size)',
      nameLocation: 'middle',
      nameGap: 24,
      ...axis(p),
      splitLine: { show: false },
    },
    yAxis: { type: 'value', name: '%', ...axis(p) },
    series,
  };
}

/** Word rank–frequency of the pool and of each run's kept captions, log–log. */
export function wordsBeforeAfterOption(
  runs: readonly RunSeries<{
    before: { rank: number; count: number }[];
    after: { rank: number; count: number }[];
  }>[],
  p: ChartPalette,
  colours: readonly string[],
): EChartsCoreOption {
  const line = (pts: { rank: number; count: number }[]) =>
    pts.filter((w) => w.rank > 0 && w.count > 0).map((w) => [w.rank, w.count]);
  const series: unknown[] = [];
  if (runs[0]) {
    series.push({
      type: 'line',
      name: 'pool (before)',
      data: line(runs[0].data.before),
      showSymbol: false,
      lineStyle: { color: p.axis, type: 'dashed', width: 2 },
      itemStyle: { color: p.axis },
    });
  }
  runs.forEach((r, i) => {
    const c = colours[i % colours.length]!;
    series.push({
      type: 'line',
      name: r.label,
      data: line(r.data.after),
      showSymbol: false,
      lineStyle: { color: c, width: 2 },
      itemStyle: { color: c },
    });
  });
  return {
    animation: false,
    aria: { enabled: true },
    title: title('Word rank–frequency, before and after (log–log)', p),
    legend: { top: 22, left: 0, type: 'scroll', textStyle: { color: p.muted } },
    grid: { left: 8, right: 16, top: 76, bottom: 24 },
    tooltip: {
      trigger: 'item',
      ...tooltip(p),
      formatter: (param: unknown) => {
        const d = param as { seriesName: string; value: [number, number] };
        return `${escapeHtml(d.seriesName)}: rank ${d.value[0]}, ${d.value[1].toLocaleString('en-US')} uses`;
      },
    },
    xAxis: { type: 'log', name: 'rank', nameLocation: 'middle', nameGap: 24, min: 1, ...axis(p) },
    yAxis: { type: 'log', name: 'count', min: 1, ...axis(p) },
    series,
  };
}

/** The map's points, split per run: every sampled pair in grey, each run's kept ones on top. */
export function mapSeries(map: {
  x: readonly number[];
  y: readonly number[];
  runs: readonly { kept: readonly boolean[] }[];
}): { all: [number, number][]; kept: [number, number][][] } {
  const all = map.x.map((x, i) => [x, map.y[i]!] as [number, number]);
  const kept = map.runs.map((r) => all.filter((_, i) => r.kept[i]));
  return { all, kept };
}

/** A 2-D PCA map of a sample of the pool with each run's kept pairs highlighted. */
export function mapOption(
  map: {
    x: readonly number[];
    y: readonly number[];
    explained: readonly [number, number];
    runs: readonly { kept: readonly boolean[] }[];
  },
  labels: readonly string[],
  p: ChartPalette,
  colours: readonly string[],
): EChartsCoreOption {
  const { all, kept } = mapSeries(map);
  const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
  return {
    animation: false,
    aria: { enabled: true },
    title: title(`Map of ${all.length.toLocaleString('en-US')} sampled pairs (PCA of image embeddings)`, p),
    legend: { top: 22, left: 0, type: 'scroll', textStyle: { color: p.muted } },
    grid: { left: 8, right: 16, top: 76, bottom: 32 },
    tooltip: {
      trigger: 'item',
      ...tooltip(p),
      formatter: (q: { seriesName: string }) => escapeHtml(q.seriesName),
    },
    xAxis: {
      type: 'value',
      name: `PC1 (${pct(map.explained[0])})`,
      nameLocation: 'middle',
      nameGap: 24,
      scale: true,
      ...axis(p),
    },
    yAxis: { type: 'value', name: `PC2 (${pct(map.explained[1])})`, scale: true, ...axis(p) },
    series: [
      {
        type: 'scatter',
        name: 'pool (sample)',
        data: all,
        symbolSize: 4,
        itemStyle: { color: p.muted, opacity: 0.35 },
        large: true,
      },
      ...kept.map((pts, i) => ({
        type: 'scatter',
        name: `${labels[i] ?? `run ${i + 1}`} · kept`,
        data: pts,
        symbolSize: 5,
        itemStyle: { color: colours[i % colours.length], opacity: 0.75 },
        large: true,
      })),
    ],
  };
}
