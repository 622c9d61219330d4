// The selection methods the Compress view offers, with the authors' defaults, and the
// drafts the form edits turned into a MethodSpec for `runs.compress`.
import type { MethodSpecInput } from '../../../main/core/compress/spec';

type StepInput = Exclude<MethodSpecInput, { method: 'pipeline' }>;
export type MethodId = StepInput['method'];

export interface ParamDef {
  key: string;
  label: string;
  kind: 'number' | 'select' | 'list' | 'boolean';
  default: number | string | boolean | number[];
  options?: readonly string[];
  min?: number;
  max?: number;
  step?: number | 'any';
  integer?: boolean;
  help?: string;
}

export interface MethodDef {
  id: MethodId;
  label: string;
  /** Uses image features (embed the dataset first). */
  needsFeatures: boolean;
  /** Takes a budget (SemDeDup keeps what its ε leaves; alignment may take a threshold). */
  budget: 'required' | 'optional' | 'none';
  summary: string;
  params: ParamDef[];
}

const seed: ParamDef = { key: 'seed', label: 'Seed', kind: 'number', default: 1, min: 0, integer: true };

export const METHODS: readonly MethodDef[] = [
  {
    id: 'tldr',
    label: 'TL;DR',
    needsFeatures: true,
    budget: 'required',
    summary: 'Clusters the code sequences, then picks evenly across clusters (Wang et al.).',
    params: [
      {
        key: 'features',
        label: 'Features',
        kind: 'select',
        default: 'code-sequence',
        options: ['code-sequence', 'bag-of-codes', 'embedding'],
        help: 'code-sequence is the paper’s; the others are alternatives.',
      },
      {
        key: 'pick',
        label: 'Pick',
        kind: 'select',
        default: 'stride',
        options: ['stride', 'centroid-nearest'],
      },
      {
        key: 'clusters',
        label: 'Clusters K',
        kind: 'number',
        default: 1000,
        min: 2,
        max: 100_000,
        integer: true,
      },
      {
        key: 'iterations',
        label: 'Iterations',
        kind: 'number',
        default: 20,
        min: 1,
        max: 200,
        integer: true,
      },
      seed,
    ],
  },
  {
    id: 'wfpp',
    label: 'WFPP',
    needsFeatures: false,
    budget: 'required',
    summary: 'Word-frequency-based pruning: drops pairs whose captions are made of frequent words.',
    params: [
      { key: 't', label: 't', kind: 'number', default: 1e-7, min: 0, max: 1, step: 'any' },
      { key: 'minCount', label: 'Min count', kind: 'number', default: 5, min: 1, integer: true },
      {
        key: 'variant',
        label: 'Variant',
        kind: 'select',
        default: 'product',
        options: ['product', 'geometric'],
      },
      { key: 'maxWords', label: 'Max words', kind: 'number', default: 30, min: 1, max: 1000, integer: true },
    ],
  },
  {
    id: 'random',
    label: 'Random',
    needsFeatures: false,
    budget: 'required',
    summary: 'A seeded uniform sample: the baseline every method must beat.',
    params: [seed],
  },
  {
    id: 'first-k',
    label: 'First k',
    needsFeatures: false,
    budget: 'required',
    summary: 'The first pairs in dataset order.',
    params: [],
  },
  {
    id: 'alignment',
    label: 'Alignment filter',
    needsFeatures: true,
    budget: 'optional',
    summary: 'Keeps the pairs whose image and caption agree best (a budget, or a score threshold).',
    params: [
      {
        key: 'threshold',
        label: 'Threshold (used when no budget)',
        kind: 'number',
        default: 0.2,
        min: -1,
        max: 1,
        step: 'any',
      },
    ],
  },
  {
    id: 'semdedup',
    label: 'SemDeDup',
    needsFeatures: true,
    budget: 'none',
    summary: 'Removes semantic near-duplicates within clusters; keeps what ε leaves.',
    params: [
      { key: 'epsilons', label: 'ε list', kind: 'list', default: [0.01, 0.03, 0.05, 0.1] },
      {
        key: 'embedding',
        label: 'Embedding (layout: builtin copies)',
        kind: 'select',
        default: 'image',
        options: ['image', 'layout'],
      },
      {
        key: 'clusters',
        label: 'Clusters',
        kind: 'number',
        default: 100,
        min: 1,
        max: 100_000,
        integer: true,
      },
      seed,
    ],
  },
  {
    id: 'prototypicality',
    label: 'Prototypicality',
    needsFeatures: true,
    budget: 'required',
    summary: 'Keeps the hard (far from centroid) or easy pairs of each cluster.',
    params: [
      { key: 'keep', label: 'Keep', kind: 'select', default: 'hard', options: ['hard', 'easy'] },
      {
        key: 'clusters',
        label: 'Clusters',
        kind: 'number',
        default: 100,
        min: 1,
        max: 100_000,
        integer: true,
      },
      seed,
    ],
  },
  {
    id: 'density',
    label: 'Density',
    needsFeatures: true,
    budget: 'required',
    summary: 'Samples clusters by density so sparse regions keep more.',
    params: [
      {
        key: 'clusters',
        label: 'Clusters',
        kind: 'number',
        default: 100,
        min: 1,
        max: 100_000,
        integer: true,
      },
      { key: 'temperature', label: 'Temperature', kind: 'number', default: 0.5, min: 0, step: 'any' },
      seed,
    ],
  },
];

export function methodDef(id: MethodId): MethodDef {
  return METHODS.find((m) => m.id === id)!;
}

export interface BudgetDraft {
  mode: 'ratio' | 'pairs';
  /** 0 < ratio ≤ 1. */
  ratio: number;
  pairs: number;
  /** For an optional budget: whether one is given. */
  enabled: boolean;
}

export interface StepDraft {
  method: MethodId;
  budget: BudgetDraft;
  params: Record<string, number | string | boolean | number[]>;
}

export function defaultParams(id: MethodId): StepDraft['params'] {
  const out: StepDraft['params'] = {};
  for (const p of methodDef(id).params) out[p.key] = Array.isArray(p.default) ? [...p.default] : p.default;
  return out;
}

export function newStep(id: MethodId, ratio = 0.25): StepDraft {
  return { method: id, budget: { mode: 'ratio', ratio, pairs: 0, enabled: true }, params: defaultParams(id) };
}

/** Pairs a budget keeps of `eligible` (what the engine's resolveBudget does: rounded, clamped). */
export function resolvePairs(b: BudgetDraft, eligible: number): number {
  if (b.mode === 'ratio') return Math.round(Math.min(1, Math.max(0, b.ratio)) * eligible);
  return Math.max(0, Math.min(Math.floor(b.pairs), eligible));
}

/** Pairs eligible for selection: the usable ones less the evaluation's held-out share. */
export function estimateEligible(usable: number, heldOutFraction = 0.05): number {
  // heldOutSplit holds out round(fraction × usable) pairs.
  return Math.max(0, usable - Math.round(usable * heldOutFraction));
}

/** Parses "0.01, 0.03 0.05" into numbers in (0, 1); undefined when any is not. */
export function parseEpsilons(text: string): number[] | undefined {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (!parts.length) return undefined;
  const nums = parts.map(Number);
  return nums.every((n) => Number.isFinite(n) && n > 0 && n < 1) ? nums : undefined;
}

/** Why a draft cannot run, or undefined when it can. */
export function stepProblem(s: StepDraft, eligible: number): string | undefined {
  const def = methodDef(s.method);
  const useBudget = def.budget === 'required' || (def.budget === 'optional' && s.budget.enabled);
  if (useBudget) {
    if (s.budget.mode === 'ratio' && !(s.budget.ratio > 0 && s.budget.ratio <= 1))
      return `${def.label}: the budget ratio must be above 0 and at most 100 %`;
    if (s.budget.mode === 'pairs' && !(Number.isInteger(s.budget.pairs) && s.budget.pairs >= 1))
      return `${def.label}: the pair budget must be a whole number of at least 1`;
    if (eligible > 0 && resolvePairs(s.budget, eligible) === 0)
      return `${def.label}: this budget keeps no pair`;
  }
  for (const p of def.params) {
    const v = s.params[p.key];
    if (p.kind === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v)) return `${def.label}: ${p.label} must be a number`;
      if (p.integer && !Number.isInteger(v)) return `${def.label}: ${p.label} must be a whole number`;
      if (p.min !== undefined && v < p.min) return `${def.label}: ${p.label} must be at least ${p.min}`;
      if (p.max !== undefined && v > p.max) return `${def.label}: ${p.label} must be at most ${p.max}`;
    }
    if (p.kind === 'list' && !(Array.isArray(v) && v.length))
      return `${def.label}: ${p.label} needs numbers between 0 and 1`;
  }
  return undefined;
}

export function stepSpec(s: StepDraft): StepInput {
  const def = methodDef(s.method);
  const budget =
    s.budget.mode === 'ratio' ? { ratio: s.budget.ratio } : { pairs: Math.floor(s.budget.pairs) };
  const params = { ...s.params };
  if (s.method === 'alignment') {
    if (s.budget.enabled) delete params.threshold;
    return { method: 'alignment', ...params, ...(s.budget.enabled ? { budget } : {}) } as StepInput;
  }
  return { method: s.method, ...params, ...(def.budget === 'none' ? {} : { budget }) } as StepInput;
}

export function buildSpec(steps: readonly StepDraft[], mode: 'sequential' | 'intersection'): MethodSpecInput {
  if (steps.length === 1) return stepSpec(steps[0]!);
  return { method: 'pipeline', mode, steps: steps.map(stepSpec) };
}
