// zod schemas of everything that crosses a transport. Shared by the engine (which
// validates every request) and the renderer (which gets the inferred types).
import { z } from 'zod';
import { MethodSpecSchema } from '../core/compress/spec';

export { MethodSpecSchema };

export const FormatIdSchema = z.enum([
  'webdataset',
  'img2dataset-files',
  'img2dataset-parquet',
  'coco',
  'karpathy',
  'flickr-token',
  'flickr-csv',
  'blip-json',
  'llava-json',
  'table',
  'folder',
  'clip-retrieval',
]);

export const DatasetIdSchema = z.number().int().positive();
export const JobIdSchema = z.number().int().positive();

export const DetectionSchema = z.object({
  format: FormatIdSchema.optional(),
  candidates: z.array(
    z.object({ format: FormatIdSchema, confidence: z.number(), evidence: z.array(z.string()) }),
  ),
  seen: z.array(z.string()),
  problem: z.string().optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});

export const DatasetSchema = z.object({
  id: DatasetIdSchema,
  name: z.string(),
  root: z.string(),
  format: FormatIdSchema,
  state: z.enum(['new', 'indexing', 'ready', 'failed']),
  createdAt: z.string(),
  indexedAt: z.string().nullable(),
  pairs: z.number().int(),
});

export const HistogramSchema = z.object({
  edges: z.array(z.number()),
  counts: z.array(z.number().int()),
});

export const DatasetStatsSchema = z.object({
  dataset: DatasetSchema,
  pairs: z.number().int(),
  images: z.number().int(),
  ok: z.number().int(),
  errors: z.record(z.string(), z.number().int()),
  errorTotal: z.number().int(),
  bytes: z.number(),
  vocabulary: z.number().int(),
  words: z.number().int(),
  captionWords: HistogramSchema,
  imageWidth: HistogramSchema,
  imageHeight: HistogramSchema,
});

export const ImageRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), path: z.string() }),
  z.object({
    kind: z.literal('tar'),
    path: z.string(),
    member: z.string(),
    offset: z.number().int(),
    size: z.number().int(),
  }),
  z.object({ kind: z.literal('parquet'), path: z.string(), row: z.number().int(), column: z.string() }),
  z.object({ kind: z.literal('url'), url: z.string() }),
  z.object({ kind: z.literal('none') }),
]);

export const PairSchema = z.object({
  id: z.number().int(),
  seq: z.number().int(),
  key: z.string(),
  imageKey: z.string(),
  image: ImageRefSchema,
  caption: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  bytes: z.number().int().nullable(),
  status: z.enum(['ok', 'error']),
  errorKind: z.string().nullable(),
  error: z.string().nullable(),
});

export const JobStateSchema = z.enum(['running', 'done', 'failed', 'cancelled', 'interrupted']);

export const JobProgressSchema = z.object({
  stage: z.string(),
  done: z.number(),
  total: z.number().optional(),
  rate: z.number().optional(),
  etaSeconds: z.number().optional(),
  message: z.string().optional(),
});

export const JobSchema = z.object({
  id: JobIdSchema,
  kind: z.string(),
  datasetId: z.number().int().nullable(),
  state: JobStateSchema,
  progress: JobProgressSchema,
  error: z.string().nullable(),
  result: z.unknown().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const WordFrequencySchema = z.object({
  word: z.string(),
  count: z.number().int(),
  rank: z.number().int(),
});

export const EngineStatusSchema = z.object({
  version: z.string(),
  workspace: z.string(),
  node: z.string(),
});

export const ProviderNameSchema = z.enum(['cuda', 'dml', 'coreml', 'cpu']);
export const ProviderPreferenceSchema = z.enum(['auto', 'cuda', 'dml', 'coreml', 'cpu']);

export const ProviderStatusSchema = z.object({
  requested: ProviderPreferenceSchema,
  active: ProviderNameSchema,
  fallbackReason: z.string().optional(),
  probes: z.array(z.object({ provider: ProviderNameSchema, ok: z.boolean(), error: z.string().optional() })),
});

export const FeatureSetSchema = z.object({
  id: z.number().int(),
  datasetId: z.number().int(),
  model: z.string(),
  state: z.enum(['new', 'partial', 'ready']),
  meta: z.record(z.string(), z.unknown()),
  errors: z.record(z.string(), z.number().int()),
  codeUsage: z.array(z.number().int()).optional(),
  updatedAt: z.string(),
});

/** A path typed by the user or dropped on the window: absolute or relative, non-empty. */
export const PathSchema = z
  .string()
  .min(1, 'a path is required')
  .max(4096, 'path too long')
  .refine((p) => !p.includes('\0'), 'path contains a NUL byte');

/** The pairs column that imported embeddings' keys are matched against. */
export const KeyFieldSchema = z.enum(['key', 'uid', 'url']);

/** Precomputed CLIP embeddings to import: one of the three layouts the import reads. */
export const ImportSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('clip-retrieval'), folder: PathSchema, keyField: KeyFieldSchema.optional() }),
  z.object({
    kind: z.literal('npy'),
    image: PathSchema,
    text: PathSchema.optional(),
    /** One key per line, or a parquet with a key / uid / url column; row i ↔ key i. */
    keys: PathSchema,
    keyField: KeyFieldSchema.optional(),
  }),
  z.object({
    kind: z.literal('npz'),
    file: PathSchema,
    keys: PathSchema,
    /** Member holding the image matrix (default: the one whose name says img/image). */
    imageArray: z.string().min(1).max(256).optional(),
    textArray: z.string().min(1).max(256).optional(),
    keyField: KeyFieldSchema.optional(),
  }),
]);

const KeyExamples = z.object({ count: z.number().int(), examples: z.array(z.string()) });

/** What an import job returns: how the source rows matched the indexed pairs. */
export const ImportReportSchema = z.object({
  featureSetId: z.number().int(),
  model: z.string(),
  folder: z.string(),
  pairs: z.number().int(),
  sourceRows: z.number().int(),
  imageDims: z.number().int(),
  textDims: z.number().int(),
  dtype: z.enum(['float32', 'float16']),
  keyField: KeyFieldSchema,
  matched: z.number().int(),
  unmatched: KeyExamples,
  duplicates: KeyExamples,
  pairsWithoutVector: KeyExamples,
  resumed: z.boolean(),
  keyTableMB: z.number(),
  seconds: z.object({ match: z.number(), vectors: z.number() }),
  into: z
    .object({
      featureSet: z.string(),
      filled: z.number().int(),
      alreadyHad: z.number().int(),
      localErrors: z.number().int(),
      filledWithoutText: z.number().int(),
    })
    .optional(),
});

const Interval = z.object({ value: z.number(), low: z.number(), high: z.number() });

export const MetricRowSchema = z.object({
  name: z.string(),
  group: z.string(),
  value: z.number(),
  low: z.number().optional(),
  high: z.number().optional(),
  higherIsBetter: z.boolean().optional(),
  random: Interval.optional(),
  full: Interval.optional(),
  vsRandom: z.enum(['better', 'worse', 'no significant difference']).optional(),
  vsFull: z.enum(['better', 'worse', 'no significant difference']).optional(),
});

export const RunSchema = z.object({
  id: z.number().int(),
  datasetId: z.number().int(),
  method: z.string(),
  label: z.string(),
  params: z.record(z.string(), z.unknown()),
  state: z.enum(['running', 'done', 'failed']),
  kept: z.number().int(),
  eligible: z.number().int(),
  stats: z.record(z.string(), z.unknown()),
  evaluation: z.unknown().nullable(),
  createdAt: z.string(),
});

export const CompareTableSchema = z.object({
  runs: z.array(
    z.object({ id: z.number().int(), label: z.string(), kept: z.number().int(), eligible: z.number().int() }),
  ),
  rows: z.array(
    z.object({
      name: z.string(),
      group: z.string(),
      higherIsBetter: z.boolean().optional(),
      cells: z.array(MetricRowSchema.nullable()),
      /** Pairwise verdict of each run against the first run ('' for the first). */
      vsFirst: z.array(z.string()),
    }),
  ),
  notes: z.array(z.string()),
  caveat: z.string(),
});

export const RunMapSchema = z.object({
  model: z.string(),
  population: z.number().int(),
  seqs: z.array(z.number().int()),
  x: z.array(z.number()),
  y: z.array(z.number()),
  explained: z.tuple([z.number(), z.number()]),
  runs: z.array(z.object({ runId: z.number().int(), kept: z.array(z.boolean()) })),
});

export type MetricRowDto = z.infer<typeof MetricRowSchema>;
export type RunMapDto = z.infer<typeof RunMapSchema>;
export type RunDto = z.infer<typeof RunSchema>;
export type CompareTableDto = z.infer<typeof CompareTableSchema>;
export type ProviderStatusDto = z.infer<typeof ProviderStatusSchema>;
export type FeatureSetDto = z.infer<typeof FeatureSetSchema>;
export type ImportSourceDto = z.infer<typeof ImportSourceSchema>;
export type ImportReportDto = z.infer<typeof ImportReportSchema>;
export type FormatIdDto = z.infer<typeof FormatIdSchema>;
export type DetectionDto = z.infer<typeof DetectionSchema>;
export type DatasetDto = z.infer<typeof DatasetSchema>;
export type DatasetStatsDto = z.infer<typeof DatasetStatsSchema>;
export type HistogramDto = z.infer<typeof HistogramSchema>;
export type PairDto = z.infer<typeof PairSchema>;
export type JobDto = z.infer<typeof JobSchema>;
export type JobProgressDto = z.infer<typeof JobProgressSchema>;
export type WordFrequencyDto = z.infer<typeof WordFrequencySchema>;
export type EngineStatusDto = z.infer<typeof EngineStatusSchema>;
