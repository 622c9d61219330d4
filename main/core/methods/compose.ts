// Compositions of methods: sequential (each step runs on the previous step's kept pairs, e.g.
// SemDeDup → TL;DR) and intersection (every step on the same pool, kept = ∩, e.g. TL;DR ∩ WFPP).
import { ReasonWriter, countMask, eligibleMask, makeSelection } from './selection';
import type { BaseOptions, Selection, StepCount } from './types';

export interface PipelineStep {
  /** Shown in the funnel and prefixed to the step's reasons ("semdedup", "tldr"). */
  name: string;
  run: (eligible: Uint8Array) => Selection;
}

export interface Composition extends Selection {
  mode: 'sequential' | 'intersection';
  /** Each step's own result. */
  steps: Selection[];
}

function check(sel: Selection, n: number, name: string): void {
  if (sel.n !== n || sel.kept.length !== n)
    throw new RangeError(`step ${name} returned ${sel.n} pairs, expected ${n}`);
}

/** Copies pair i's reason from a step into the composed columns, labels prefixed by the step name. */
function copyReason(
  w: ReasonWriter,
  name: string,
  sel: Selection,
  i: number,
  cache: Map<number, number>,
): void {
  const src = sel.reasons.label[i] as number;
  let id = cache.get(src);
  if (id === undefined) {
    const l = sel.reasons.labels[src] ?? { step: 'input', code: 'excluded' };
    id = src === 0 ? 0 : w.id(`${name}:${l.step}`, l.code);
    cache.set(src, id);
  }
  w.set(i, id, sel.reasons.score[i]);
}

/** A then B on A's kept, … The reason of a dropped pair is the step that dropped it. */
export function runSequential(n: number, steps: PipelineStep[], opts: BaseOptions = {}): Composition {
  if (steps.length === 0) throw new RangeError('a pipeline needs at least one step');
  const base = eligibleMask(n, opts.eligible);
  const w = new ReasonWriter(n);
  const stats: StepCount[] = [{ step: 'eligible', label: 'eligible pairs', count: countMask(base) }];
  const results: Selection[] = [];
  let eligible = base;
  for (const step of steps) {
    const sel = step.run(eligible);
    check(sel, n, step.name);
    const cache = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      if (eligible[i]) copyReason(w, step.name, sel, i, cache);
    }
    // A step must not resurrect pairs it was not offered.
    const kept = new Uint8Array(n);
    for (let i = 0; i < n; i++) kept[i] = eligible[i] && sel.kept[i] ? 1 : 0;
    stats.push({ step: step.name, label: `after ${step.name}`, count: countMask(kept) });
    results.push(sel);
    eligible = kept;
  }
  return finish('sequential', eligible, w, stats, results);
}

/** Every step on the same pool; kept = ∩ of the steps' kept. Counts are cumulative ∩ after each step. */
export function runIntersection(n: number, steps: PipelineStep[], opts: BaseOptions = {}): Composition {
  if (steps.length === 0) throw new RangeError('a composition needs at least one step');
  const base = eligibleMask(n, opts.eligible);
  const w = new ReasonWriter(n);
  const stats: StepCount[] = [{ step: 'eligible', label: 'eligible pairs', count: countMask(base) }];
  const results: Selection[] = [];
  const kept = Uint8Array.from(base);
  const decided = new Uint8Array(n); // reason already taken from an earlier dropping step
  for (const step of steps) {
    const sel = step.run(base);
    check(sel, n, step.name);
    const cache = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      if (!base[i]) continue;
      if (!sel.kept[i]) {
        kept[i] = 0;
        if (!decided[i]) {
          copyReason(w, step.name, sel, i, cache);
          decided[i] = 1;
        }
      } else if (!decided[i]) copyReason(w, step.name, sel, i, cache);
    }
    stats.push({
      step: step.name,
      label: `∩ ${step.name} (${sel.keptCount} on its own)`,
      count: countMask(kept),
    });
    results.push(sel);
  }
  return finish('intersection', kept, w, stats, results);
}

function finish(
  mode: Composition['mode'],
  kept: Uint8Array,
  w: ReasonWriter,
  stats: StepCount[],
  steps: Selection[],
): Composition {
  const sel = makeSelection({
    method: `${mode}(${steps.map((s) => s.method).join(mode === 'sequential' ? ' → ' : ' ∩ ')})`,
    kept,
    reasons: w,
    stats,
    derived: steps.flatMap((s, k) =>
      s.derived.map((d) => ({ ...d, key: `${k}.${d.key}`, label: `${s.method}: ${d.label}` })),
    ),
    notes: steps.flatMap((s) => s.notes.map((t) => `${s.method}: ${t}`)),
  });
  return { ...sel, mode, steps };
}
