// When a trainer applies the mix: the authors mix during epochs 0–19 of 30, the mixed
// loss's weight ramping linearly from 0 to 1 over epoch 0.

export interface TimixSchedule {
  /** Epochs of the whole pre-training. */
  epochs: number;
  /** First and last epoch (inclusive, 0-based) in which mixed samples are used. */
  mixEpochs: [number, number];
  /** Epochs over which the mixed loss's weight ramps linearly 0 → 1 from the first mix epoch. */
  rampEpochs: number;
}

export const AUTHORS_SCHEDULE: Readonly<TimixSchedule> = Object.freeze({
  epochs: 30,
  mixEpochs: [0, 19] as [number, number],
  rampEpochs: 1,
});

/**
 * Weight of the mixed samples' loss at training progress `epoch` (fractional: 0.5 is
 * halfway through epoch 0): 0 outside the mix epochs, a linear ramp, then 1.
 */
export function mixWeight(s: TimixSchedule, epoch: number): number {
  const [first, last] = s.mixEpochs;
  if (!(epoch >= first) || Math.floor(epoch) > last) return 0;
  if (s.rampEpochs <= 0) return 1;
  return Math.min(1, (epoch - first) / s.rampEpochs);
}

/** The schedule as written into a recipe, with the rule spelled out for the trainer. */
export function describeSchedule(s: TimixSchedule): TimixSchedule & { weight: string } {
  const [first, last] = s.mixEpochs;
  return {
    ...s,
    weight:
      `mixed-loss weight w(e) at fractional epoch e: 0 for e < ${first} or e ≥ ${last + 1}; ` +
      `min(1, (e − ${first}) / ${s.rampEpochs}) otherwise`,
  };
}
