// Chart options from contract data, and that ECharts really draws them (server-side
// SVG rendering: no browser or canvas needed).
import { BarChart, LineChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { describe, expect, it } from 'vitest';
import type { WordFrequencyDto } from '../../../main/api/schemas';
import {
  binLabel,
  escapeHtml,
  categoryLabelInterval,
  histogramOption,
  logSample,
  rankFrequencyOption,
  zipfFit,
} from '../../../renderer/src/charts/options';
import { PALETTES } from '../../../renderer/src/charts/palette';

echarts.use([
  SVGRenderer,
  BarChart,
  LineChart,
  GridComponent,
  TitleComponent,
  TooltipComponent,
  LegendComponent,
  AriaComponent,
]);

function render(option: echarts.EChartsCoreOption): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 600, height: 300 });
  chart.setOption(option);
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

/** Zipf-distributed counts: count(rank) = C / rank^s. */
function zipfWords(n: number, s = 1, c = 1_000_000): WordFrequencyDto[] {
  return Array.from({ length: n }, (_, i) => ({
    word: `w${i + 1}`,
    rank: i + 1,
    count: Math.max(1, Math.round(c / (i + 1) ** s)),
  }));
}

describe('histogram', () => {
  const h = { edges: [0, 5, 10, 15, 20], counts: [3, 0, 12, 7] };

  it('labels integer bins as ranges', () => {
    expect(binLabel(0, 5)).toBe('0–4');
    expect(binLabel(7, 8)).toBe('7');
    expect(binLabel(3, undefined)).toBe('3');
  });

  it('puts every bin on the chart, in the theme’s colours', () => {
    const o = histogramOption(h, { title: 'Caption length', unit: 'words', palette: PALETTES.dark }) as {
      xAxis: { data: string[] };
      series: { type: string; data: number[]; itemStyle: { color: string } }[];
    };
    expect(o.xAxis.data).toEqual(['0–4', '5–9', '10–14', '15–19']);
    expect(o.series[0]!.type).toBe('bar');
    expect(o.series[0]!.data).toEqual([3, 0, 12, 7]);
    expect(o.series[0]!.itemStyle.color).toBe(PALETTES.dark.accent);
  });

  it('is drawn with one bar per bin, heights proportional to the counts', () => {
    const svg = render(
      histogramOption(h, { title: 'Caption length', unit: 'words', palette: PALETTES.light }),
    );
    expect(svg).toContain('Caption length');
    const bars = [
      ...svg.matchAll(
        new RegExp(
          `<path d="M[\\d.]+ [\\d.]+l[\\d.]+ 0l0 (-?[\\d.]+)[^"]*" fill="${PALETTES.light.accent}"`,
          'gi',
        ),
      ),
    ];
    const heights = bars.map((m) => Math.abs(Number(m[1])));
    expect(heights).toHaveLength(4);
    const unit = heights[0]! / 3;
    expect(heights.map((x) => Math.round(x / unit))).toEqual([3, 0, 12, 7]);
  });

  it('shows as many category labels as fit side by side, fewer when they are wide', () => {
    const short = ['1', '2', '3', '4'];
    expect(categoryLabelInterval(short)).toBe(0);
    const wide = Array.from({ length: 30 }, (_, i) => binLabel(64 + i * 64, 128 + i * 64));
    const every = categoryLabelInterval(wide) + 1;
    const shown = Math.ceil(wide.length / every);
    expect(shown).toBeGreaterThan(1);
    expect(shown * (Math.max(...wide.map((l) => l.length)) * 7 + 12)).toBeLessThanOrEqual(280);
    expect(categoryLabelInterval(wide, 1000)).toBeLessThan(categoryLabelInterval(wide));
  });

  it('escapes words in tooltips', () => {
    expect(escapeHtml('<img src=x onerror=alert(1)>')).not.toContain('<');
    const o = histogramOption(
      { edges: [0, 1], counts: [4] },
      { title: 't', unit: '<b>', palette: PALETTES.light },
    ) as {
      tooltip: { formatter: (p: unknown) => string };
    };
    expect(o.tooltip.formatter([{ dataIndex: 0, value: 4 }])).toBe('0 &#60;b&#62;: 4 pairs');
  });
});

describe('rank–frequency', () => {
  it('keeps the head and log-spaces the tail', () => {
    const words = zipfWords(200_000);
    const s = logSample(words, 1500);
    expect(s.length).toBeLessThanOrEqual(1500);
    expect(s.slice(0, 100).map((w) => w.rank)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(s.at(-1)!.rank).toBeGreaterThan(150_000);
    for (let i = 1; i < s.length; i++) expect(s[i]!.rank).toBeGreaterThan(s[i - 1]!.rank);
    expect(logSample(words.slice(0, 10))).toHaveLength(10);
  });

  it('fits Zipf’s exponent', () => {
    expect(zipfFit(zipfWords(5000, 1))!.s).toBeCloseTo(1, 1);
    expect(zipfFit(zipfWords(5000, 1.3))!.s).toBeCloseTo(1.3, 1);
    expect(zipfFit(zipfWords(2))).toBeUndefined();
  });

  it('uses log axes and draws the curve and the fit', () => {
    const words = zipfWords(3000);
    const o = rankFrequencyOption(words, PALETTES.light) as {
      xAxis: { type: string };
      yAxis: { type: string };
      series: { name: string; data: unknown[] }[];
    };
    expect(o.xAxis.type).toBe('log');
    expect(o.yAxis.type).toBe('log');
    // The head and a log-spaced tail, not all 3,000 words.
    expect(o.series[0]!.data.length).toBeGreaterThan(300);
    expect(o.series[0]!.data.length).toBeLessThanOrEqual(600);
    expect(o.series[1]!.name).toMatch(/^Zipf fit, s = 1\.0\d$/);
    const svg = render(o);
    expect(svg).toContain('Rank–frequency');
    // The curve is one long path in the accent colour.
    const curve = [...svg.matchAll(/<path d="([^"]+)"[^>]*stroke="#2f6fde"/gi)].map((m) => m[1]!.length);
    expect(Math.max(...curve)).toBeGreaterThan(1000);
  });
});
