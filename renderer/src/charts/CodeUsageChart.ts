// How often each codebook entry is used, most used first: a codebook that collapsed onto
// a few codes shows as a spike and a long flat tail.
import { computed, defineComponent, h, type PropType } from 'vue';
import ChartCanvas from './ChartCanvas';
import { useUiStore } from '../stores/ui';
import { PALETTES } from './palette';
import { codeUsageOption } from './run-options';

export default defineComponent({
  name: 'CodeUsageChart',
  props: {
    usage: { type: Array as PropType<number[]>, required: true },
  },
  setup(props) {
    const ui = useUiStore();
    const option = computed(() => codeUsageOption(props.usage, PALETTES[ui.theme]));
    return () =>
      h('figure', { class: 'chart', 'data-points': props.usage.length, 'data-chart': 'code-usage' }, [
        props.usage.length
          ? h(ChartCanvas, { option: option.value })
          : h('p', { class: 'chart-empty' }, ['No codebook usage recorded for this feature set']),
      ]);
  },
});
