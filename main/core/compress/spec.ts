// What a user asks a compression run to do: a method with its parameters (the authors'
// defaults), or a composition of methods. zod schemas, shared by the contract.
import { z } from 'zod';

export const BudgetSchema = z.union([
  z.object({ ratio: z.number().gt(0).max(1) }),
  z.object({ pairs: z.number().int().positive() }),
]);

const seed = z.number().int().min(0).default(1);

export const RandomSpec = z.object({ method: z.literal('random'), budget: BudgetSchema, seed });
export const FirstKSpec = z.object({ method: z.literal('first-k'), budget: BudgetSchema });
export const TldrSpec = z.object({
  method: z.literal('tldr'),
  budget: BudgetSchema,
  /** faithful: the code-index sequence PCA-whitened; better: TF-IDF bag of codes, or image embeddings. */
  features: z.enum(['code-sequence', 'bag-of-codes', 'embedding']).default('code-sequence'),
  pick: z.enum(['stride', 'centroid-nearest']).default('stride'),
  clusters: z.number().int().min(2).max(100_000).default(1000),
  iterations: z.number().int().min(1).max(200).default(20),
  stride: z.number().int().min(1).optional(),
  alignmentFraction: z.number().gt(0).max(1).optional(),
  exactBudget: z.boolean().default(false),
  seed,
});
export const WfppSpec = z.object({
  method: z.literal('wfpp'),
  budget: BudgetSchema,
  t: z.number().positive().max(1).default(1e-7),
  minCount: z.number().int().min(1).default(5),
  variant: z.enum(['product', 'geometric']).default('product'),
  maxWords: z.number().int().min(1).max(1000).default(30),
});
export const AlignmentSpec = z.object({
  method: z.literal('alignment'),
  budget: BudgetSchema.optional(),
  threshold: z.number().min(-1).max(1).optional(),
});
export const SemDeDupSpec = z.object({
  method: z.literal('semdedup'),
  epsilons: z.array(z.number().gt(0).lt(1)).min(1).max(20).default([0.01, 0.03, 0.05, 0.1]),
  primary: z.number().gt(0).lt(1).optional(),
  clusters: z.number().int().min(1).max(100_000).default(100),
  /**
   * image: the model's image embedding (the authors': CLIP). layout: the builtin model's
   * colour-layout embedding, which finds re-encoded, resized and cropped copies that the
   * builtin global descriptor confuses with other pictures of the same kind of scene.
   */
  embedding: z.enum(['image', 'layout']).default('image'),
  seed,
});
export const PrototypicalitySpec = z.object({
  method: z.literal('prototypicality'),
  budget: BudgetSchema,
  keep: z.enum(['hard', 'easy']).default('hard'),
  clusters: z.number().int().min(1).max(100_000).default(100),
  seed,
});
export const DensitySpec = z.object({
  method: z.literal('density'),
  budget: BudgetSchema,
  clusters: z.number().int().min(1).max(100_000).default(100),
  temperature: z.number().positive().default(0.5),
  seed,
});

export const StepSpecSchema = z.discriminatedUnion('method', [
  RandomSpec,
  FirstKSpec,
  TldrSpec,
  WfppSpec,
  AlignmentSpec,
  SemDeDupSpec,
  PrototypicalitySpec,
  DensitySpec,
]);

export const PipelineSpec = z.object({
  method: z.literal('pipeline'),
  /** sequential: each step chooses among the previous step's kept pairs; intersection: all steps on the pool, kept by all. */
  mode: z.enum(['sequential', 'intersection']),
  steps: z.array(StepSpecSchema).min(1).max(8),
});

export const MethodSpecSchema = z.union([StepSpecSchema, PipelineSpec]);

export type Budget = z.infer<typeof BudgetSchema>;
export type StepSpec = z.infer<typeof StepSpecSchema>;
export type MethodSpec = z.infer<typeof MethodSpecSchema>;
export type MethodSpecInput = z.input<typeof MethodSpecSchema>;

/** Methods that need image features (WFPP, random and first-k need none). */
export function needsFeatures(spec: MethodSpec): boolean {
  if (spec.method === 'pipeline') return spec.steps.some(needsFeatures);
  return !['random', 'first-k', 'wfpp'].includes(spec.method);
}

export function describeSpec(spec: MethodSpec): string {
  const b = (x: Budget) => ('ratio' in x ? `${Math.round(x.ratio * 1000) / 10} %` : `${x.pairs} pairs`);
  switch (spec.method) {
    case 'pipeline':
      return spec.steps.map(describeSpec).join(spec.mode === 'sequential' ? ' → ' : ' ∩ ');
    case 'alignment':
      return spec.budget ? `alignment ${b(spec.budget)}` : `alignment ≥ ${spec.threshold}`;
    case 'semdedup':
      return `SemDeDup ε=${spec.primary ?? spec.epsilons[0]}${spec.embedding === 'layout' ? ' (layout)' : ''}`;
    case 'tldr':
      return `TL;DR ${b(spec.budget)}${spec.features !== 'code-sequence' || spec.pick !== 'stride' ? ` (${spec.features}, ${spec.pick})` : ''}`;
    case 'wfpp':
      return `WFPP ${b(spec.budget)}`;
    default:
      return `${spec.method} ${b(spec.budget)}`;
  }
}
