// The TL;DR run the scale benchmarks time: 25 % on the embedding, K = 1000, 20 iterations,
// the faithful stride pick (the CC3M recipe).
import type { StepSpec } from '../../../main/core/compress/spec';

export const TLDR_25_EMBEDDING: StepSpec = {
  method: 'tldr',
  budget: { ratio: 0.25 },
  features: 'embedding',
  clusters: 1000,
  iterations: 20,
  pick: 'stride',
  exactBudget: false,
  seed: 1,
};
