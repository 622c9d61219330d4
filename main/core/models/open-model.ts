// Opening a model by registry id (its folder in the workspace, downloaded on request) or
// by a folder the user points at. Both end in the same folder loader.
import type { ProviderRegistry } from '../compute/providers';
import { Captioner } from './captioner';
import { ClipEncoder } from './clip-encoder';
import { ensureModel, type EnsureModelOptions } from './model-store';
import { getModel, loadRegistry, type ModelDtype, type ModelEntry, type ModelRegistry } from './registry';

export type ModelRef = { id: string } | { folder: string };

export interface OpenModelOptions extends Omit<EnsureModelOptions, 'dtype'> {
  dtype?: ModelDtype;
  providers?: ProviderRegistry;
  registry?: ModelRegistry;
}

export interface ResolvedModel {
  folder: string;
  entry?: ModelEntry;
  dtype: ModelDtype;
}

export async function resolveModel(ref: ModelRef, opts: OpenModelOptions): Promise<ResolvedModel> {
  if ('folder' in ref) return { folder: ref.folder, dtype: opts.dtype ?? 'fp32' };
  const entry = getModel(ref.id, opts.registry ?? loadRegistry());
  const dtype = opts.dtype ?? entry.defaultDtype;
  return { folder: await ensureModel(entry, { ...opts, dtype }), entry, dtype };
}

export async function openEncoder(ref: ModelRef, opts: OpenModelOptions): Promise<ClipEncoder> {
  const r = await resolveModel(ref, opts);
  if (r.entry && r.entry.task === 'captioner')
    throw new Error(`model ${r.entry.id} is a captioner, not an encoder`);
  return ClipEncoder.load({
    folder: r.folder,
    dtype: r.dtype,
    workspace: opts.workspace,
    providers: opts.providers,
  });
}

export async function openCaptioner(ref: ModelRef, opts: OpenModelOptions): Promise<Captioner> {
  const r = await resolveModel(ref, opts);
  if (r.entry && r.entry.task !== 'captioner')
    throw new Error(`model ${r.entry.id} is an encoder, not a captioner`);
  return Captioner.load({
    folder: r.folder,
    dtype: r.dtype,
    workspace: opts.workspace,
    providers: opts.providers,
  });
}
