// Word rank against count on log–log axes, with Zipf's fit.
import { computed, defineComponent, h, type PropType } from 'vue';
import ChartCanvas from './ChartCanvas';
import type { WordFrequencyDto } from '../../../main/api/schemas';
import { useUiStore } from '../stores/ui';
import { logSample, rankFrequencyOption } from './options';
import { PALETTES } from './palette';

export default defineComponent({
  name: 'RankFrequencyChart',
  props: {
    words: { type: Array as PropType<WordFrequencyDto[]>, required: true },
  },
  setup(props) {
    const ui = useUiStore();
    const option = computed(() => rankFrequencyOption(props.words, PALETTES[ui.theme]));
    const points = computed(() => logSample(props.words).length);
    return () =>
      h(
        'figure',
        { class: 'chart chart-tall', 'data-points': points.value, 'data-chart': 'rank-frequency' },
        [
          props.words.length
            ? h(ChartCanvas, { option: option.value })
            : h('p', { class: 'chart-empty' }, ['No words counted yet']),
        ],
      );
  },
});
