// The one place that imports @huggingface/transformers (lazily: it is large and most runs
// use the builtin features) and configures it. The library never reaches the network:
// remote loading is off, its fetch refuses, and models are always given as folders.
// Downloads are ours (model-store.ts), on request only.
import path from 'node:path';

export type Transformers = typeof import('@huggingface/transformers');

let loaded: Promise<Transformers> | undefined;

function refuseNetwork(input: unknown): Promise<never> {
  return Promise.reject(
    new Error(
      `transformers.js tried to fetch ${String(input)}; network access is disabled (use a local model folder)`,
    ),
  );
}

export function configureTransformers(t: Transformers, workspace?: string): void {
  const env = t.env;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useFSCache = false;
  env.useBrowserCache = false;
  env.useWasmCache = false;
  env.fetch = refuseNetwork;
  env.logLevel = t.LogLevel.ERROR;
  if (workspace) {
    env.localModelPath = path.join(workspace, 'models') + path.sep;
    env.cacheDir = path.join(workspace, 'models', '.cache') + path.sep;
  }
}

/** The configured library (imported once). */
export function transformers(workspace?: string): Promise<Transformers> {
  loaded ??= import('@huggingface/transformers').then((t) => {
    configureTransformers(t, workspace);
    return t;
  });
  return workspace ? loaded.then((t) => (configureTransformers(t, workspace), t)) : loaded;
}
