// The one contract. Every operation the UI, the CLI or the HTTP server can call is
// declared here once, with its input and output schema; the transports are adapters.
import { z } from 'zod';
import { EXPORT_FORMATS } from '../core/export/types';
import {
  DatasetIdSchema,
  DatasetSchema,
  DatasetStatsSchema,
  DetectionSchema,
  EngineStatusSchema,
  FeatureSetSchema,
  FormatIdSchema,
  ImportSourceSchema,
  PathSchema,
  ProviderPreferenceSchema,
  ProviderStatusSchema,
  JobIdSchema,
  CompareTableSchema,
  JobSchema,
  MethodSpecSchema,
  PairSchema,
  RunMapSchema,
  RunSchema,
  WordFrequencySchema,
} from './schemas';

/** Operations that start a long job answer at once with its id; progress comes as events. */
const JobStartedSchema = z.object({ jobId: JobIdSchema, datasetId: DatasetIdSchema.optional() });

function op<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, doc: string) {
  return { input, output, doc };
}

export const contract = {
  'engine.status': op(z.object({}), EngineStatusSchema, 'Engine version and workspace.'),

  'datasets.detect': op(
    z.object({ path: PathSchema }),
    DetectionSchema,
    'Look at a dropped folder or file and say which format it is, with what was seen.',
  ),
  'datasets.index': op(
    z.object({
      path: PathSchema,
      name: z.string().min(1).max(200).optional(),
      format: FormatIdSchema.optional(),
      options: z.record(z.string(), z.unknown()).optional(),
      reindex: z.boolean().optional(),
    }),
    JobStartedSchema,
    'Index a dataset in place (resumes an interrupted index of the same path).',
  ),
  'datasets.list': op(z.object({}), z.array(DatasetSchema), 'Indexed datasets.'),
  'datasets.info': op(
    z.object({ datasetId: DatasetIdSchema }),
    DatasetStatsSchema,
    'Counts, errors by kind, caption-length and image-size histograms.',
  ),
  'datasets.pairs': op(
    z.object({
      datasetId: DatasetIdSchema,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
      status: z.enum(['ok', 'error']).optional(),
      errorKind: z.string().max(64).optional(),
      search: z.string().max(200).optional(),
    }),
    z.object({ total: z.number().int(), items: z.array(PairSchema) }),
    'A page of pairs, filtered by status, error kind or caption words.',
  ),
  'datasets.remove': op(
    z.object({ datasetId: DatasetIdSchema }),
    z.object({ removed: z.boolean() }),
    'Forget a dataset: its index rows go; the dataset files are never touched.',
  ),

  'media.thumbnail': op(
    z.object({
      datasetId: DatasetIdSchema,
      seq: z.number().int().min(0),
      size: z.number().int().min(16).max(2048).default(256),
    }),
    z.object({ path: z.string() }),
    "A cached WebP thumbnail of one pair's image (a file under the workspace).",
  ),

  'words.top': op(
    z.object({
      datasetId: DatasetIdSchema,
      limit: z.number().int().min(1).max(100_000).default(1000),
    }),
    z.object({
      vocabulary: z.number().int(),
      total: z.number().int(),
      words: z.array(WordFrequencySchema),
    }),
    'Word counts (WFPP tokenizer) ranked by frequency.',
  ),

  'engine.providers': op(
    z.object({ prefer: ProviderPreferenceSchema.optional() }),
    ProviderStatusSchema,
    'The execution provider in use (probed once: cuda, dml, coreml, then cpu); `prefer` overrides it.',
  ),

  'features.embed': op(
    z.object({
      datasetId: DatasetIdSchema,
      /** 'builtin', a registry id, or a local model folder. */
      model: z.string().min(1).max(4096).default('builtin'),
      device: ProviderPreferenceSchema.optional(),
      codebookSize: z.number().int().min(2).max(65_536).optional(),
      seed: z.number().int().min(0).optional(),
      /** Embed only a seeded fraction of the pairs (0, 1]; the rest stay without features. */
      sample: z.number().gt(0).max(1).optional(),
      sampleSeed: z.number().int().min(0).optional(),
    }),
    JobStartedSchema,
    'Compute image vectors, patch codes and text vectors, for every pair or a seeded sample (resumes where it stopped).',
  ),
  'features.import': op(
    z.object({
      datasetId: DatasetIdSchema,
      source: ImportSourceSchema,
      /** Feature-set id to store them under (what compress --model names); default 'import:<name>'. */
      model: z.string().min(1).max(200).optional(),
      /** Instead: an existing feature set (e.g. 'builtin') whose pairs without a vector get these. */
      into: z.string().min(1).max(4096).optional(),
    }),
    JobStartedSchema,
    'Import precomputed CLIP embeddings (.npy + keys, .npz, clip-retrieval folder), matched to the pairs by key.',
  ),
  'features.list': op(
    z.object({ datasetId: DatasetIdSchema }),
    z.array(FeatureSetSchema),
    'Feature sets of a dataset, with errors by kind and codebook usage.',
  ),

  'runs.compress': op(
    z.object({
      datasetId: DatasetIdSchema,
      spec: MethodSpecSchema,
      model: z.string().min(1).max(4096).default('builtin'),
      label: z.string().min(1).max(200).optional(),
      heldOutFraction: z.number().min(0).max(0.5).optional(),
      heldOutSeed: z.number().int().min(0).optional(),
      evaluate: z.boolean().optional(),
    }),
    JobStartedSchema,
    'Run a selection method (or a composition) and judge it against random and the full set.',
  ),
  'runs.list': op(
    z.object({ datasetId: DatasetIdSchema.optional() }),
    z.array(RunSchema),
    'Runs, oldest first.',
  ),
  'runs.get': op(
    z.object({ runId: z.number().int().positive() }),
    RunSchema,
    'One run with its statistics and evaluation.',
  ),
  'runs.compare': op(
    z.object({ runIds: z.array(z.number().int().positive()).min(1).max(12) }),
    CompareTableSchema,
    'The side-by-side table: each metric with its interval; differences within the noise marked as such.',
  ),
  'runs.map': op(
    z.object({
      runIds: z.array(z.number().int().positive()).min(1).max(12),
      sample: z.number().int().min(10).max(20_000).default(3000),
      seed: z.number().int().min(0).default(1),
    }),
    RunMapSchema,
    "A 2-D map (PCA of a seeded sample of the image embeddings) with each run's kept pairs.",
  ),
  'runs.pairs': op(
    z.object({
      runId: z.number().int().positive(),
      kept: z.boolean(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
    z.object({
      total: z.number().int(),
      items: z.array(PairSchema.extend({ reason: z.string().nullable(), score: z.number().nullable() })),
    }),
    'A page of what a run kept (or dropped), with the reason.',
  ),

  'runs.refine': op(
    z.object({
      runId: z.number().int().positive(),
      /** 'builtin' (the codebook captioner learned on the dataset), or a captioner registry id / folder. */
      captioner: z.string().min(1).max(4096).default('builtin'),
    }),
    JobStartedSchema,
    'TL;DR caption refinement of a run\'s kept pairs: original + "; " + generated (beam 3, 10–30 tokens).',
  ),

  'exports.start': op(
    z.object({
      runId: z.number().int().positive(),
      format: z.enum(EXPORT_FORMATS),
      outDir: PathSchema.optional(),
      overwrite: z.boolean().optional(),
      captions: z.enum(['original', 'refined']).optional(),
      shardSize: z.number().int().min(1).max(1_000_000).optional(),
      keys: z.enum(['auto', 'index', 'original']).optional(),
      imagePaths: z.enum(['absolute', 'relative']).optional(),
      subsetFormat: z.enum(['blip-json', 'openclip-tsv', 'webdataset', 'uids', 'urls-tsv']).optional(),
      fullSetList: z.boolean().optional(),
    }),
    JobStartedSchema,
    "Export a run's kept pairs for a trainer into a new folder, with a manifest (never overwrites).",
  ),
  'exports.list': op(
    z.object({ runId: z.number().int().positive().optional() }),
    z.array(
      z.object({
        id: z.number().int(),
        runId: z.number().int(),
        format: z.string(),
        folder: z.string(),
        createdAt: z.string(),
      }),
    ),
    'Exports written so far.',
  ),
  'reports.write': op(
    z.object({
      datasetId: DatasetIdSchema,
      runIds: z.array(z.number().int().positive()).min(1).max(12),
      outFile: PathSchema.optional(),
      overwrite: z.boolean().optional(),
      title: z.string().max(200).optional(),
    }),
    z.object({ file: z.string(), bytes: z.number().int(), sha256: z.string() }),
    'A self-contained HTML report: the comparison table and the charts.',
  ),

  'timix.export': op(
    z.object({
      runId: z.number().int().positive().optional(),
      datasetId: DatasetIdSchema.optional(),
      out: PathSchema,
      model: z.string().min(1).max(4096).default('builtin'),
      batchSize: z.number().int().min(1).max(65_536).optional(),
      seed: z.number().int().min(0).optional(),
      ratioRange: z.tuple([z.number().gt(0).max(1), z.number().gt(0).max(1)]).optional(),
      materialize: z.boolean().optional(),
      images: z
        .object({
          size: z.number().int().min(16).max(4096).optional(),
          format: z.enum(['jpg', 'png', 'webp']).optional(),
          quality: z.number().int().min(1).max(100).optional(),
          samplesPerShard: z.number().int().min(1).optional(),
        })
        .optional(),
    }),
    JobStartedSchema,
    'Write a TiMix mixing recipe (and optionally the mixed images) to a new folder.',
  ),
  'timix.preview': op(
    z.object({
      runId: z.number().int().positive().optional(),
      datasetId: DatasetIdSchema.optional(),
      seqs: z.array(z.number().int().min(0)).max(64).optional(),
      batchSize: z.number().int().min(1).max(64).optional(),
      seed: z.number().int().min(0).optional(),
      s: z.number().int().min(1).max(16).optional(),
      ratioRange: z.tuple([z.number().gt(0).max(1), z.number().gt(0).max(1)]).optional(),
      model: z.string().min(1).max(4096).optional(),
      size: z.number().int().min(16).max(1024).optional(),
      format: z.enum(['png', 'webp']).optional(),
    }),
    z.unknown(),
    'Preview mixed samples: both images with saliency maps, the windows, the mixed result and λ.',
  ),

  'demo.generate': op(
    z.object({
      seed: z.number().int().min(0).default(1),
      count: z.number().int().min(10).max(100_000).default(3000),
    }),
    JobStartedSchema,
    'Generate the procedural demo dataset in the workspace and index it.',
  ),

  'jobs.list': op(z.object({}), z.array(JobSchema), 'Jobs, newest first.'),
  'jobs.get': op(z.object({ jobId: JobIdSchema }), JobSchema, 'One job with its result.'),
  'jobs.cancel': op(
    z.object({ jobId: JobIdSchema }),
    z.object({ cancelled: z.boolean() }),
    'Cancel a running job; it stops at its next checkpoint and can be resumed.',
  ),
} as const;

export type Contract = typeof contract;
export type OpName = keyof Contract;
export type OpInput<N extends OpName> = z.input<Contract[N]['input']>;
/** What a handler receives: the input after the schema applied its defaults. */
export type OpParsedInput<N extends OpName> = z.output<Contract[N]['input']>;
export type OpOutput<N extends OpName> = z.output<Contract[N]['output']>;
export const OP_NAMES = Object.keys(contract) as OpName[];

/** Events pushed from the engine to every client. */
export const EngineEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job'), job: JobSchema }),
  z.object({ type: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: z.string() }),
]);
export type EngineEvent = z.infer<typeof EngineEventSchema>;

/** Errors cross transports as this shape. */
export interface ApiErrorShape {
  code: 'invalid_input' | 'not_found' | 'conflict' | 'failed' | 'unknown_operation';
  message: string;
  details?: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorShape['code'],
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  toJSON(): ApiErrorShape {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** Parses a request at the contract: a malformed one is refused with a readable message. */
export function parseInput<N extends OpName>(name: string, input: unknown): z.output<Contract[N]['input']> {
  if (!Object.hasOwn(contract, name)) throw new ApiError('unknown_operation', `unknown operation "${name}"`);
  const schema = contract[name as N].input;
  // zod drops unknown fields silently; a misspelt option ("limt") would then quietly fall
  // back to its default, so the contract names them instead.
  if (schema instanceof z.ZodObject && input !== null && typeof input === 'object' && !Array.isArray(input)) {
    const unknown = Object.keys(input).filter((k) => !Object.hasOwn(schema.shape, k));
    if (unknown.length) {
      const known = Object.keys(schema.shape);
      throw new ApiError(
        'invalid_input',
        `${name}: unknown field${unknown.length > 1 ? 's' : ''} ${unknown
          .slice(0, 5)
          .map((k) => JSON.stringify(k.slice(0, 64)))
          .join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}` +
          ` (${known.length ? `expected ${known.join(', ')}` : 'takes no fields'})`,
      );
    }
  }
  const r = schema.safeParse(input ?? {});
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
    throw new ApiError('invalid_input', `${name}: ${msg}`, r.error.issues);
  }
  return r.data as z.output<Contract[N]['input']>;
}
