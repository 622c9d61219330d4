// The registry of known models (native-models/registry.json): what to download, from
// where, at which revision, with which checksums and licence. Validated once on load.
import { z } from 'zod';
import registryJson from '../../../native-models/registry.json';
import { requiredFiles, type ModelDtype, type ModelRuntime } from './model-files';

const sha256 = z.union([z.string().regex(/^[0-9a-f]{64}$/), z.literal('unknown')]);
const dtype = z.enum(['fp32', 'fp16', 'q8']);

export const ModelFileSchema = z.strictObject({
  /** Path inside the repo and inside the model folder, '/'-separated. */
  path: z.string().regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/),
  /** Only needed for this dtype; absent = needed for every dtype. */
  dtype: dtype.optional(),
  /** Exact byte size when known (checked after download). */
  size: z.number().int().positive().optional(),
  /** Size as the hub lists it, for display and estimates only. */
  sizeApprox: z.string().optional(),
  /** Hex sha256 of the file, or "unknown" when it could not be verified. */
  sha256,
  /** Revision the hash was read at, when it differs from the entry's. */
  revision: z
    .string()
    .regex(/^[0-9a-f]{40}$/)
    .optional(),
});

export const ModelEntrySchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
    label: z.string().min(1),
    task: z.enum(['clip', 'siglip', 'captioner']),
    runtime: z.enum(['clip', 'siglip', 'vision-encoder-decoder', 'florence2']),
    hubRepo: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
    /** A 40-hex commit (pinned) or a branch name (not pinned). */
    revision: z.string().min(1),
    licence: z.string().min(1),
    licenceNote: z.string().optional(),
    /** Joint image/text embedding size (encoders). */
    embeddingDim: z.number().int().positive().optional(),
    /** Width of the vision transformer's tokens (patch tokens before projection). */
    hiddenDim: z.number().int().positive().optional(),
    imageSize: z.number().int().positive(),
    patchSize: z.number().int().positive().optional(),
    /** Patch tokens per side at imageSize (CLS excluded). */
    patchGrid: z.tuple([z.number().int().positive(), z.number().int().positive()]).optional(),
    textMaxLength: z.number().int().positive().optional(),
    dtypes: z.array(dtype).min(1),
    defaultDtype: dtype,
    files: z.array(ModelFileSchema).min(1),
    notes: z.string().optional(),
  })
  .superRefine((e, ctx) => {
    const encoder = e.task === 'clip' || e.task === 'siglip';
    if (encoder && e.runtime !== e.task)
      ctx.addIssue({ code: 'custom', message: `${e.id}: runtime must be ${e.task}` });
    if (e.task === 'captioner' && (e.runtime === 'clip' || e.runtime === 'siglip')) {
      ctx.addIssue({ code: 'custom', message: `${e.id}: a captioner needs a generative runtime` });
    }
    if (encoder && (!e.embeddingDim || !e.patchGrid)) {
      ctx.addIssue({ code: 'custom', message: `${e.id}: encoders need embeddingDim and patchGrid` });
    }
    if (e.patchGrid && e.patchSize && e.patchGrid[0] * e.patchSize !== e.imageSize) {
      ctx.addIssue({ code: 'custom', message: `${e.id}: patchGrid × patchSize ≠ imageSize` });
    }
    if (!e.dtypes.includes(e.defaultDtype))
      ctx.addIssue({ code: 'custom', message: `${e.id}: defaultDtype not in dtypes` });
    const paths = new Set(e.files.map((f) => f.path));
    if (paths.size !== e.files.length)
      ctx.addIssue({ code: 'custom', message: `${e.id}: duplicate file paths` });
    for (const d of e.dtypes) {
      for (const f of requiredFiles(e.runtime, d)) {
        if (!paths.has(f)) ctx.addIssue({ code: 'custom', message: `${e.id}: ${d} needs ${f}` });
      }
    }
  });

export const RegistrySchema = z
  .strictObject({ version: z.literal(1), models: z.array(ModelEntrySchema) })
  .superRefine((r, ctx) => {
    const ids = r.models.map((m) => m.id);
    for (const id of ids.filter((id, i) => ids.indexOf(id) !== i)) {
      ctx.addIssue({ code: 'custom', message: `duplicate model id ${id}` });
    }
  });

export type ModelFile = z.infer<typeof ModelFileSchema>;
export type ModelEntry = z.infer<typeof ModelEntrySchema>;
export type ModelRegistry = z.infer<typeof RegistrySchema>;
export type ModelTask = ModelEntry['task'];
export type { ModelDtype, ModelRuntime };

let cached: ModelRegistry | undefined;

/** Parses a registry (default: the bundled native-models/registry.json); throws on errors. */
export function loadRegistry(json: unknown = registryJson): ModelRegistry {
  if (json === registryJson && cached) return cached;
  const parsed = RegistrySchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`invalid model registry: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  if (json === registryJson) cached = parsed.data;
  return parsed.data;
}

export function findModel(id: string, registry: ModelRegistry = loadRegistry()): ModelEntry | undefined {
  return registry.models.find((m) => m.id === id);
}

export function getModel(id: string, registry: ModelRegistry = loadRegistry()): ModelEntry {
  const m = findModel(id, registry);
  if (!m) throw new Error(`unknown model "${id}" (known: ${registry.models.map((x) => x.id).join(', ')})`);
  return m;
}

/** The files a folder needs for `dtype`: the shared ones plus that dtype's graphs. */
export function filesFor(entry: ModelEntry, dtype: ModelDtype = entry.defaultDtype): ModelFile[] {
  if (!entry.dtypes.includes(dtype)) {
    throw new Error(`model ${entry.id} has no ${dtype} files (has: ${entry.dtypes.join(', ')})`);
  }
  return entry.files.filter((f) => f.dtype === undefined || f.dtype === dtype);
}

/** Approximate bytes of "352 MB"-style sizes (display and ETA only). */
export function approxBytes(file: ModelFile): number | undefined {
  if (file.size) return file.size;
  const m = /^([\d.]+)\s*(B|kB|KB|MB|GB)$/.exec(file.sizeApprox ?? '');
  if (!m) return undefined;
  const scale: Record<string, number> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9 };
  return Math.round(Number(m[1]) * (scale[m[2] as string] ?? 1));
}
