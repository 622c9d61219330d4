// A histogram from the contract (caption lengths, image sizes).
import { computed, defineComponent, h, type PropType } from 'vue';
import ChartCanvas from './ChartCanvas';
import type { HistogramDto } from '../../../main/api/schemas';
import { useUiStore } from '../stores/ui';
import { histogramOption } from './options';
import { PALETTES } from './palette';

export default defineComponent({
  name: 'HistogramChart',
  props: {
    histogram: { type: Object as PropType<HistogramDto>, required: true },
    title: { type: String, required: true },
    unit: { type: String, required: true },
  },
  setup(props) {
    const ui = useUiStore();
    const option = computed(() =>
      histogramOption(props.histogram, { title: props.title, unit: props.unit, palette: PALETTES[ui.theme] }),
    );
    return () =>
      h(
        'figure',
        { class: 'chart', 'data-points': props.histogram.counts.length, 'data-chart': 'histogram' },
        [
          props.histogram.counts.length
            ? h(ChartCanvas, { option: option.value })
            : h('p', { class: 'chart-empty' }, [`${props.title}: no data yet`]),
        ],
      );
  },
});
