// @vitest-environment happy-dom
// The chart components: the option they hand to ECharts follows the data and the theme.
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import HistogramChart from '../../../renderer/src/charts/HistogramChart';
import { PALETTES } from '../../../renderer/src/charts/palette';
import RankFrequencyChart from '../../../renderer/src/charts/RankFrequencyChart';
import { useUiStore } from '../../../renderer/src/stores/ui';
import { chartQueueIdle } from '../../../renderer/src/charts/ChartCanvas';

// happy-dom has no canvas: a stand-in for vue-echarts' component records its option.
vi.mock('vue-echarts', () => ({
  default: defineComponent({
    name: 'VChart',
    props: { option: { type: Object, required: true }, autoresize: Boolean },
    setup(props) {
      return () => h('div', { class: 'vchart-stub', 'data-option': JSON.stringify(props.option) });
    },
  }),
}));

function optionOf(wrapper: ReturnType<typeof mount>): Record<string, unknown> {
  return JSON.parse(wrapper.get('.vchart-stub').attributes('data-option')!) as Record<string, unknown>;
}

/** Charts draw one per task (ChartCanvas): wait until every one had its turn. */
async function settle(): Promise<void> {
  await chartQueueIdle();
  await nextTick();
}

beforeEach(() => {
  setActivePinia(createPinia());
  localStorage.clear();
});

describe('HistogramChart', () => {
  it('hands ECharts a bar series of the counts with bin labels', async () => {
    const w = mount(HistogramChart, {
      props: {
        histogram: { edges: [1, 3, 5, 7], counts: [2, 9, 4] },
        title: 'Caption length',
        unit: 'words',
      },
    });
    expect(w.get('figure').attributes('data-points')).toBe('3');
    await settle();
    const o = optionOf(w) as { series: { data: number[] }[]; xAxis: { data: string[] } };
    expect(o.series[0]!.data).toEqual([2, 9, 4]);
    expect(o.xAxis.data).toEqual(['1–2', '3–4', '5–6']);
  });

  it('follows the theme', async () => {
    const w = mount(HistogramChart, {
      props: { histogram: { edges: [0, 1], counts: [5] }, title: 'Image width', unit: 'px' },
    });
    const ui = useUiStore();
    ui.setTheme('light');
    await nextTick();
    await settle();
    expect(JSON.stringify(optionOf(w))).toContain(PALETTES.light.accent);
    ui.setTheme('dark');
    await nextTick();
    expect(JSON.stringify(optionOf(w))).toContain(PALETTES.dark.accent);
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem('tldr.theme')).toBe('dark');
  });

  it('says so when there is no data', async () => {
    const w = mount(HistogramChart, {
      props: { histogram: { edges: [], counts: [] }, title: 'Image height', unit: 'px' },
    });
    await settle();
    expect(w.find('.vchart-stub').exists()).toBe(false);
    expect(w.text()).toContain('no data yet');
  });
});

describe('RankFrequencyChart', () => {
  it('plots rank against count on log axes', async () => {
    const words = Array.from({ length: 50 }, (_, i) => ({
      word: `w${i}`,
      rank: i + 1,
      count: 1000 - i * 10,
    }));
    const w = mount(RankFrequencyChart, { props: { words } });
    expect(w.get('figure').attributes('data-points')).toBe('50');
    await settle();
    const o = optionOf(w) as {
      xAxis: { type: string };
      yAxis: { type: string };
      series: { data: { value: number[]; name: string }[] }[];
    };
    expect([o.xAxis.type, o.yAxis.type]).toEqual(['log', 'log']);
    expect(o.series[0]!.data[0]).toEqual({ value: [1, 1000], name: 'w0' });
  });

  it('says so when no words were counted', async () => {
    const w = mount(RankFrequencyChart, { props: { words: [] } });
    expect(w.text()).toContain('No words counted yet');
  });
});

describe('ChartCanvas', () => {
  it('draws the charts of a view one per task, after the view itself', async () => {
    const histogram = { edges: [0, 1, 2], counts: [4, 2] };
    const view = defineComponent({
      setup: () => () =>
        h(
          'div',
          ['A', 'B', 'C'].map((title) => h(HistogramChart, { histogram, title, unit: 'px' })),
        ),
    });
    const w = mount(view);
    const drawn = () => w.findAll('.vchart-stub').length;
    // Mounted with a placeholder of the same class: nothing drawn in the view's own task.
    expect(w.findAll('.chart-canvas')).toHaveLength(3);
    expect(drawn()).toBe(0);
    const turns: number[] = [];
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 0));
      await nextTick();
      turns.push(drawn());
    }
    expect(turns).toEqual([1, 2, 3]);
    await settle();
    expect(drawn()).toBe(3);
  });
});
