// Where model folders live and how they get there. A model is used from
//   - a folder the user points at (any layout-conforming export), or
//   - <workspace>/models/<id>/, filled by copying files in or by a download on request.
// Nothing is downloaded unless asked; offline (by flag/env, or when a download fails) the
// refusal names the exact folder and the files to put there.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { downloadFile, type TransferProgress } from './download';
import { missingFiles, optionalFiles } from './model-files';
import { approxBytes, filesFor, type ModelDtype, type ModelEntry } from './registry';

export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';

/** Offline unless told otherwise: TLDR_OFFLINE, HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE set to 1/true. */
export function isOfflineMode(env: NodeJS.ProcessEnv = process.env): boolean {
  return ['TLDR_OFFLINE', 'HF_HUB_OFFLINE', 'TRANSFORMERS_OFFLINE'].some((k) =>
    /^(1|true|yes)$/i.test(env[k] ?? ''),
  );
}

export function hubEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return (env.TLDR_HF_ENDPOINT ?? env.HF_ENDPOINT ?? DEFAULT_HUB_ENDPOINT).replace(/\/+$/, '');
}

export function modelsDir(workspace: string): string {
  return path.join(workspace, 'models');
}

export function modelDir(workspace: string, id: string): string {
  return path.join(modelsDir(workspace), id);
}

export function fileUrl(entry: ModelEntry, file: string, revision: string, endpoint: string): string {
  const encoded = file.split('/').map(encodeURIComponent).join('/');
  return `${endpoint}/${entry.hubRepo}/resolve/${encodeURIComponent(revision)}/${encoded}`;
}

export class ModelUnavailableError extends Error {
  constructor(
    readonly modelId: string,
    readonly folder: string,
    readonly missing: string[],
    readonly reason: string,
    readonly source?: string,
  ) {
    const from = source ? ` (from ${source})` : '';
    super(
      `Model "${modelId}" is not available: ${reason}. ` +
        `Put these files in ${folder}${path.sep}${from}: ${missing.join(', ')}.`,
    );
    this.name = 'ModelUnavailableError';
  }
}

export interface ModelDownloadProgress extends TransferProgress {
  modelId: string;
  file: string;
  fileIndex: number;
  fileCount: number;
  /** All files of this model: bytes done / expected (expected from the registry's sizes). */
  overallBytes: number;
  overallTotal?: number;
}

export interface EnsureModelOptions {
  workspace: string;
  dtype?: ModelDtype;
  /** Download missing files (only when true). */
  download?: boolean;
  /** Refuse to download even when asked (default: isOfflineMode()). */
  offline?: boolean;
  endpoint?: string;
  onProgress?: (p: ModelDownloadProgress) => void;
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
}

export interface ModelManifest {
  id: string;
  hubRepo: string;
  revision: string;
  dtype: ModelDtype;
  files: Array<{ path: string; bytes: number; sha256: string; verified: boolean }>;
}

/**
 * Returns the folder of a registry model, downloading missing files if asked and allowed.
 * Throws ModelUnavailableError (naming the folder and files) otherwise.
 */
export async function ensureModel(entry: ModelEntry, opts: EnsureModelOptions): Promise<string> {
  const dtype = opts.dtype ?? entry.defaultDtype;
  const folder = modelDir(opts.workspace, entry.id);
  const missing = missingFiles(folder, entry.runtime, dtype);
  if (missing.length === 0) return folder;

  const endpoint = opts.endpoint ?? hubEndpoint();
  const source = `${endpoint}/${entry.hubRepo} @ ${entry.revision}`;
  const offline = opts.offline ?? isOfflineMode();
  if (!opts.download || offline) {
    const reason = offline
      ? 'offline mode is on'
      : 'its files are not in the workspace and no download was requested';
    throw new ModelUnavailableError(entry.id, folder, missing, reason, source);
  }

  // Optional files (generation_config.json…) come along when the registry lists them.
  const wanted = new Set([...missing, ...optionalFiles(entry.runtime)]);
  const files = filesFor(entry, dtype).filter((f) => wanted.has(f.path));
  const expected = files.map(approxBytes);
  const overallTotal = expected.every((b) => b !== undefined)
    ? expected.reduce<number>((a, b) => a + (b ?? 0), 0)
    : undefined;
  let done = 0;
  const manifest: ModelManifest = {
    id: entry.id,
    hubRepo: entry.hubRepo,
    revision: entry.revision,
    dtype,
    files: [],
  };
  try {
    for (const [i, f] of files.entries()) {
      const result = await downloadFile({
        url: fileUrl(entry, f.path, f.revision ?? entry.revision, endpoint),
        dest: path.join(folder, ...f.path.split('/')),
        sha256: f.sha256,
        size: f.size,
        signal: opts.signal,
        fetchImpl: opts.fetchImpl,
        onProgress: (p) =>
          opts.onProgress?.({
            ...p,
            modelId: entry.id,
            file: f.path,
            fileIndex: i,
            fileCount: files.length,
            overallBytes: done + p.bytes,
            overallTotal,
          }),
      });
      done += result.bytes;
      manifest.files.push({
        path: f.path,
        bytes: result.bytes,
        sha256: result.sha256,
        verified: f.sha256 !== 'unknown',
      });
    }
  } catch (e) {
    const still = missingFiles(folder, entry.runtime, dtype);
    const reason = `the download failed (${e instanceof Error ? e.message : String(e)})`;
    throw new ModelUnavailableError(entry.id, folder, still.length > 0 ? still : missing, reason, source);
  }
  // A record of what was fetched, with the hashes computed on the way (useful to pin them).
  writeFileSync(path.join(folder, 'tldr-download.json'), JSON.stringify(manifest, null, 2));
  const left = missingFiles(folder, entry.runtime, dtype);
  if (left.length > 0)
    throw new ModelUnavailableError(entry.id, folder, left, 'files are still missing after download', source);
  return folder;
}

/** Checks a user-provided folder; throws ModelUnavailableError naming what is missing. */
export function checkModelFolder(
  folder: string,
  runtime: Parameters<typeof missingFiles>[1],
  dtype: ModelDtype,
  label = path.basename(folder),
): string {
  const missing = missingFiles(folder, runtime, dtype);
  if (missing.length > 0) throw new ModelUnavailableError(label, folder, missing, 'the folder is incomplete');
  return folder;
}
