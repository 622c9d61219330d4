// A chart of a ready-made option (the Compare view's charts), or a line saying there is
// no data yet.
import type { EChartsCoreOption } from 'echarts/core';
import { defineComponent, h, type PropType } from 'vue';
import ChartCanvas from './ChartCanvas';

export default defineComponent({
  name: 'OptionChart',
  props: {
    option: { type: Object as PropType<EChartsCoreOption>, required: true },
    /** data-chart attribute, for tests and styling. */
    name: { type: String, required: true },
    points: { type: Number, required: true },
    empty: { type: String, required: true },
    tall: { type: Boolean, default: false },
  },
  setup(props) {
    return () =>
      h(
        'figure',
        {
          class: ['chart', props.tall ? 'chart-tall' : ''],
          'data-points': props.points,
          'data-chart': props.name,
        },
        [
          props.points
            ? h(ChartCanvas, { option: props.option })
            : h('p', { class: 'chart-empty' }, [props.empty]),
        ],
      );
  },
});
