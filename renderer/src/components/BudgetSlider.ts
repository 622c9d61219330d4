// A budget as a share (slider) or a pair count (field), kept in step with each other,
// with the pairs it keeps shown as it moves. A render function (not an SFC), so the unit
// tests mount it without the Vue compiler.
import { computed, defineComponent, h, useId, type PropType } from 'vue';
import { count } from '../lib/format';
import { resolvePairs, type BudgetDraft } from '../lib/methods';

const valueOf = (e: { target: unknown }) => (e.target as { value: string }).value;

export default defineComponent({
  name: 'BudgetSlider',
  props: {
    modelValue: { type: Object as PropType<BudgetDraft>, required: true },
    /** Pairs the budget is taken of (≈ the usable pairs less the held-out share). */
    eligible: { type: Number, required: true },
    label: { type: String, default: 'Budget' },
  },
  emits: { 'update:modelValue': (_v: BudgetDraft) => true },
  setup(props, { emit }) {
    const id = useId();
    const result = computed(() => resolvePairs(props.modelValue, props.eligible));
    const percent = computed(() =>
      props.modelValue.mode === 'ratio'
        ? props.modelValue.ratio * 100
        : props.eligible
          ? (100 * result.value) / props.eligible
          : 0,
    );
    function setRatio(e: { target: unknown }): void {
      const pct = Number(valueOf(e));
      if (!Number.isFinite(pct)) return;
      emit('update:modelValue', {
        ...props.modelValue,
        mode: 'ratio',
        ratio: Math.min(1, Math.max(0.001, pct / 100)),
      });
    }
    function setPairs(e: { target: unknown }): void {
      const raw = valueOf(e);
      const n = Number(raw);
      if (raw === '' || !Number.isFinite(n)) return;
      emit('update:modelValue', { ...props.modelValue, mode: 'pairs', pairs: Math.max(0, Math.floor(n)) });
    }
    return () => {
      const pct = percent.value;
      const capped =
        props.modelValue.mode === 'pairs' && props.modelValue.pairs > props.eligible && props.eligible > 0;
      return h('fieldset', { class: 'budget', 'data-testid': 'budget' }, [
        h('legend', props.label),
        h('div', { class: 'row' }, [
          h('label', { for: `${id}-ratio`, class: 'muted' }, 'Share'),
          h('input', {
            id: `${id}-ratio`,
            type: 'range',
            min: 1,
            max: 100,
            step: 1,
            value: Math.round(pct),
            'aria-valuetext': `${pct.toFixed(1)} %, ${result.value} pairs`,
            'data-testid': 'budget-ratio',
            onInput: setRatio,
          }),
          h(
            'span',
            { class: 'pct mono', 'data-testid': 'budget-percent' },
            `${pct.toFixed(pct < 10 ? 1 : 0)} %`,
          ),
          h('label', { for: `${id}-pairs`, class: 'muted' }, 'or pairs'),
          h('input', {
            id: `${id}-pairs`,
            class: 'pairs',
            type: 'number',
            min: 1,
            max: props.eligible || undefined,
            step: 1,
            value: result.value,
            'data-testid': 'budget-pairs',
            onInput: setPairs,
          }),
        ]),
        h('p', { class: 'result', 'aria-live': 'polite' }, [
          'Keeps ',
          h('strong', { 'data-testid': 'budget-result' }, count(result.value)),
          ` of ≈ ${count(props.eligible)} eligible pairs`,
          capped
            ? h('span', { class: 'warn-text' }, ` (asked for ${count(props.modelValue.pairs)}: capped)`)
            : null,
        ]),
      ]);
    };
  },
});
