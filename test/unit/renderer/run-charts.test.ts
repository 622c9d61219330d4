// @vitest-environment happy-dom
// The codebook-usage chart and the Compare charts' options.
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import CodeUsageChart from '../../../renderer/src/charts/CodeUsageChart';
import { PALETTES } from '../../../renderer/src/charts/palette';
import {
  alignmentOption,
  mapOption,
  occupancyOption,
  SERIES_COLOURS,
} from '../../../renderer/src/charts/run-options';
import { defaultComparison, verdictView } from '../../../renderer/src/lib/compare';
import { useUiStore } from '../../../renderer/src/stores/ui';
import { chartQueueIdle } from '../../../renderer/src/charts/ChartCanvas';

vi.mock('vue-echarts', () => ({
  default: defineComponent({
    name: 'VChart',
    props: { option: { type: Object, required: true }, autoresize: Boolean },
    setup(props) {
      return () => h('div', { class: 'vchart-stub', 'data-option': JSON.stringify(props.option) });
    },
  }),
}));

/** Charts draw one per task (ChartCanvas): wait until every one had its turn. */
async function settle(): Promise<void> {
  await chartQueueIdle();
  await nextTick();
}

beforeEach(() => {
  setActivePinia(createPinia());
  localStorage.clear();
});

const optionOf = (w: ReturnType<typeof mount>) =>
  JSON.parse(w.get('.vchart-stub').attributes('data-option')!) as {
    series: { data: number[] }[];
    title: { text: string };
  };

describe('CodeUsageChart', () => {
  it('draws the usage sorted, most used first, and says how many codes are used', async () => {
    const w = mount(CodeUsageChart, { props: { usage: [3, 0, 10, 1, 0, 7] } });
    expect(w.get('figure').attributes('data-chart')).toBe('code-usage');
    await settle();
    const o = optionOf(w);
    expect(o.series[0]!.data).toEqual([10, 7, 3, 1, 0, 0]);
    expect(o.title.text).toContain('4 of 6 codes used');
  });

  it('follows the theme and says so when there is no usage', async () => {
    const w = mount(CodeUsageChart, { props: { usage: [1, 2] } });
    const ui = useUiStore();
    ui.setTheme('dark');
    await nextTick();
    await settle();
    expect(JSON.stringify(optionOf(w))).toContain(PALETTES.dark.accent);
    const empty = mount(CodeUsageChart, { props: { usage: [] } });
    expect(empty.find('.vchart-stub').exists()).toBe(false);
    expect(empty.text()).toContain('No codebook usage');
  });
});

describe('Compare charts', () => {
  it('overlays before and after of each run as shares', async () => {
    const o = alignmentOption(
      [{ label: 'a', data: { edges: [0, 0.5, 1], before: [3, 1], after: [1, 1] } }],
      PALETTES.light,
      SERIES_COLOURS.light,
    ) as { series: { name: string; data: number[] }[] };
    expect(o.series.map((s) => s.name)).toEqual(['a · before', 'a · after']);
    expect(o.series[0]!.data).toEqual([75, 25]);
  });

  it('orders clusters by their pool size', async () => {
    const o = occupancyOption(
      [{ label: 'a', data: { before: [1, 3], after: [1, 0] } }],
      PALETTES.light,
      SERIES_COLOURS.light,
    ) as { series: { data: number[] }[]; xAxis: { data: string[] } };
    expect(o.xAxis.data).toEqual(['#1', '#0']);
    expect(o.series[1]!.data).toEqual([0, 100]);
  });

  it('never words noise as a win, and picks TL;DR and random first', async () => {
    expect(verdictView('no significant difference')).toEqual({
      text: 'no significant difference',
      cls: 'neutral',
    });
    const run = (id: number, method: string) => ({
      id,
      datasetId: 1,
      method,
      label: method,
      params: {},
      state: 'done' as const,
      kept: 1,
      eligible: 2,
      stats: {},
      evaluation: null,
      createdAt: '',
    });
    expect(defaultComparison([run(1, 'tldr'), run(2, 'random'), run(3, 'wfpp'), run(4, 'tldr')])).toEqual([
      4, 2,
    ]);
  });
});

describe('mapOption', () => {
  it('draws the sample in one series and each run’s kept points over it, with explained variance', () => {
    const map = {
      x: [0, 1, 2, 3],
      y: [5, 6, 7, 8],
      explained: [0.4, 0.15] as [number, number],
      runs: [{ kept: [true, false, true, false] }, { kept: [false, false, false, true] }],
    };
    const o = mapOption(map, ['#1 TL;DR', '#2 random'], PALETTES.light, SERIES_COLOURS.light) as {
      series: { name: string; data: number[][] }[];
      xAxis: { name: string };
      yAxis: { name: string };
    };
    expect(o.series.map((s) => s.name)).toEqual(['pool (sample)', '#1 TL;DR · kept', '#2 random · kept']);
    expect(o.series[0]!.data).toEqual([
      [0, 5],
      [1, 6],
      [2, 7],
      [3, 8],
    ]);
    expect(o.series[1]!.data).toEqual([
      [0, 5],
      [2, 7],
    ]);
    expect(o.series[2]!.data).toEqual([[3, 8]]);
    expect(o.xAxis.name).toBe('PC1 (40.0 %)');
    expect(o.yAxis.name).toBe('PC2 (15.0 %)');
  });
});
