// The ECharts canvas of every chart, initialised one chart per task. A chart's first
// setOption costs tens of milliseconds (axis labels are measured, the layout built, the
// canvas drawn); a view that mounts three or four charts at once would block the page
// for their sum, so each waits its turn in a queue that yields to the event loop in
// between. Until then an empty box of the same size holds its place.
import type { EChartsCoreOption } from 'echarts/core';
import { defineComponent, h, onBeforeUnmount, onMounted, ref, type PropType } from 'vue';
import VChart from 'vue-echarts';
import './setup';

const queue: (() => void)[] = [];
let pumping = false;
const idle: (() => void)[] = [];

function pump(): void {
  const next = queue.shift();
  if (!next) {
    pumping = false;
    for (const resolve of idle.splice(0)) resolve();
    return;
  }
  next();
  // A macrotask per chart: Vue renders the chart in this task's microtasks, the next
  // chart starts after the browser had a chance to paint and handle input.
  setTimeout(pump, 0);
}

function enqueue(turn: () => void): void {
  queue.push(turn);
  if (!pumping) {
    pumping = true;
    setTimeout(pump, 0);
  }
}

/** Resolves once every chart that asked for a turn has had it (tests wait on this). */
export function chartQueueIdle(): Promise<void> {
  if (!pumping) return Promise.resolve();
  return new Promise((resolve) => idle.push(resolve));
}

export default defineComponent({
  name: 'ChartCanvas',
  props: {
    option: { type: Object as PropType<EChartsCoreOption>, required: true },
  },
  setup(props) {
    const ready = ref(false);
    let unmounted = false;
    onMounted(() =>
      enqueue(() => {
        if (!unmounted) ready.value = true;
      }),
    );
    onBeforeUnmount(() => {
      unmounted = true;
    });
    return () =>
      ready.value
        ? h(VChart, { option: props.option, autoresize: true, class: 'chart-canvas' })
        : h('div', { class: 'chart-canvas', 'aria-busy': 'true' });
  },
});
