// @vitest-environment happy-dom
// The budget slider: the pair count it keeps follows the slider and the pair field live,
// and the spec built from the form carries the authors' defaults.
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import BudgetSlider from '../../../renderer/src/components/BudgetSlider';
import {
  buildSpec,
  estimateEligible,
  newStep,
  parseEpsilons,
  resolvePairs,
  stepProblem,
  type BudgetDraft,
} from '../../../renderer/src/lib/methods';

function host(eligible: number, initial: BudgetDraft) {
  const value = ref<BudgetDraft>(initial);
  const Host = defineComponent({
    setup: () => () =>
      h(BudgetSlider, {
        modelValue: value.value,
        eligible,
        'onUpdate:modelValue': (v: BudgetDraft) => (value.value = v),
      }),
  });
  return { wrapper: mount(Host), value };
}

const start: BudgetDraft = { mode: 'ratio', ratio: 0.25, pairs: 0, enabled: true };

describe('BudgetSlider', () => {
  it('shows the pairs a share keeps, and updates as the slider moves', async () => {
    const { wrapper, value } = host(1000, start);
    expect(wrapper.get('[data-testid="budget-result"]').text()).toBe('250');
    expect((wrapper.get('[data-testid="budget-pairs"]').element as HTMLInputElement).value).toBe('250');
    await wrapper.get('[data-testid="budget-ratio"]').setValue('40');
    expect(value.value).toMatchObject({ mode: 'ratio', ratio: 0.4 });
    expect(wrapper.get('[data-testid="budget-result"]').text()).toBe('400');
    expect(wrapper.get('[data-testid="budget-percent"]').text()).toBe('40 %');
  });

  it('takes a pair count, moves the slider to its share and caps it at what is eligible', async () => {
    const { wrapper, value } = host(200, start);
    await wrapper.get('[data-testid="budget-pairs"]').setValue('30');
    expect(value.value).toMatchObject({ mode: 'pairs', pairs: 30 });
    expect(wrapper.get('[data-testid="budget-result"]').text()).toBe('30');
    expect((wrapper.get('[data-testid="budget-ratio"]').element as HTMLInputElement).value).toBe('15');
    await wrapper.get('[data-testid="budget-pairs"]').setValue('5000');
    expect(wrapper.get('[data-testid="budget-result"]').text()).toBe('200');
    expect(wrapper.text()).toContain('capped');
  });

  it('rounds like the engine', () => {
    expect(resolvePairs({ ...start, ratio: 0.25 }, 33)).toBe(8);
    expect(resolvePairs({ ...start, mode: 'pairs', pairs: 12.7 }, 33)).toBe(12);
    expect(estimateEligible(34)).toBe(32);
  });
});

describe('method drafts', () => {
  it('builds TL;DR with the authors’ defaults', () => {
    expect(buildSpec([newStep('tldr')], 'sequential')).toEqual({
      method: 'tldr',
      budget: { ratio: 0.25 },
      features: 'code-sequence',
      pick: 'stride',
      clusters: 1000,
      iterations: 20,
      seed: 1,
    });
    expect(buildSpec([newStep('wfpp')], 'sequential')).toMatchObject({ t: 1e-7, minCount: 5 });
    expect(buildSpec([newStep('semdedup')], 'sequential')).toEqual({
      method: 'semdedup',
      epsilons: [0.01, 0.03, 0.05, 0.1],
      clusters: 100,
      seed: 1,
      embedding: 'image',
    });
  });

  it('composes steps and refuses what cannot run', () => {
    const spec = buildSpec([newStep('wfpp', 0.5), newStep('random', 0.5)], 'intersection');
    expect(spec).toMatchObject({ method: 'pipeline', mode: 'intersection' });
    expect(parseEpsilons('0.01, 0.05 0.1')).toEqual([0.01, 0.05, 0.1]);
    expect(parseEpsilons('0.01, 2')).toBeUndefined();
    const bad = newStep('tldr');
    bad.params.clusters = 1;
    expect(stepProblem(bad, 100)).toMatch(/at least 2/);
    expect(stepProblem({ ...newStep('random'), budget: { ...start, ratio: 0.001 } }, 100)).toMatch(/no pair/);
  });
});
