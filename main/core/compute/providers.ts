// Execution-provider choice for every onnxruntime session the app creates. Providers are
// probed once, in order of preference, by creating a tiny session with each; the first
// that works is remembered. A provider that fails (at probe or later at session
// creation) falls back to cpu, and the reason is kept in a status the UI/CLI shows.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from './graph-builder';

export type ProviderName = 'cuda' | 'dml' | 'coreml' | 'cpu';
export type ProviderPreference = ProviderName | 'auto';

export interface ProviderStatus {
  requested: ProviderPreference;
  active: ProviderName;
  /** Set when `active` is not what was requested (or, for 'auto', not the first choice). */
  fallbackReason?: string;
  /** Every provider probed so far and why it failed. */
  probes: Array<{ provider: ProviderName; ok: boolean; error?: string }>;
}

/** Providers worth trying on this platform, best first; cpu always last. */
export function candidateProviders(platform: NodeJS.Platform = process.platform): ProviderName[] {
  const list: ProviderName[] = ['cuda'];
  if (platform === 'win32') list.push('dml');
  if (platform === 'darwin') list.push('coreml');
  list.push('cpu');
  return list;
}

/** Options every session gets: the provider, one intra-op thread per core. */
export function sessionOptions(provider: ProviderName): ort.InferenceSession.SessionOptions {
  return {
    // cpu stays listed after an accelerator so nodes it cannot run still run.
    executionProviders: provider === 'cpu' ? ['cpu'] : [provider, 'cpu'],
    intraOpNumThreads: os.availableParallelism(),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  };
}

let probeModel: Uint8Array | undefined;
function tinyModel(): Uint8Array {
  if (!probeModel) {
    const g = new GraphBuilder('probe');
    g.input('a', 'float32', ['n', 4]);
    g.input('b', 'float32', [4, 'm']);
    g.output(g.op('MatMul', ['a', 'b']), 'float32', ['n', 'm'], 'y');
    probeModel = g.build();
  }
  return probeModel;
}

/**
 * The CUDA provider is a separate shared library next to the binding (installed on
 * request by onnxruntime-node's installer); without it there is nothing to probe.
 */
export function cudaLibraryMissing(): string | undefined {
  if (process.platform !== 'linux' && process.platform !== 'win32') return 'no CUDA build for this platform';
  try {
    const require = createRequire(import.meta.url);
    const dir = path.join(
      path.dirname(require.resolve('onnxruntime-node')),
      '..',
      'bin',
      'napi-v6',
      process.platform,
      process.arch,
    );
    const lib =
      process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
    return existsSync(path.join(dir, lib)) ? undefined : `${lib} is not installed`;
  } catch {
    return undefined; // unknown layout: let onnxruntime try
  }
}

/** Creates and runs the tiny probe model on `provider`; throws if it cannot. */
export async function probeWithOrt(provider: ProviderName): Promise<void> {
  if (provider === 'cuda') {
    const missing = cudaLibraryMissing();
    if (missing) throw new Error(missing);
  }
  const session = await ort.InferenceSession.create(tinyModel(), {
    ...sessionOptions(provider),
    // Only the provider under test: no silent cpu fallback during the probe.
    executionProviders: [provider],
    intraOpNumThreads: 1,
    logSeverityLevel: 4,
  });
  try {
    const a = new ort.Tensor('float32', new Float32Array(8).fill(1), [2, 4]);
    const b = new ort.Tensor('float32', new Float32Array(12).fill(1), [4, 3]);
    const out = await session.run({ a, b });
    if (out.y?.data[0] !== 4) throw new Error('probe produced a wrong result');
  } finally {
    await session.release();
  }
}

function message(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.split('\n')[0]!.slice(0, 300);
}

/**
 * Remembers the preferred and the working provider. One default instance serves the
 * app; tests build their own with a fake probe.
 */
export class ProviderRegistry {
  private preference: ProviderPreference = 'auto';
  private readonly probed = new Map<ProviderName, { ok: boolean; error?: string }>();
  private resolved: ProviderStatus | undefined;
  private pending: Promise<ProviderStatus> | undefined;
  private readonly listeners = new Set<(s: ProviderStatus) => void>();

  constructor(
    private readonly probe: (p: ProviderName) => Promise<void> = probeWithOrt,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  setPreferred(p: ProviderPreference): void {
    if (p === this.preference && this.resolved) return;
    this.preference = p;
    this.resolved = undefined;
    this.pending = undefined;
  }

  get preferred(): ProviderPreference {
    return this.preference;
  }

  /** Called with the new status whenever the active provider changes. */
  onChange(fn: (s: ProviderStatus) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private async probeOnce(p: ProviderName): Promise<{ ok: boolean; error?: string }> {
    const known = this.probed.get(p);
    if (known) return known;
    let result: { ok: boolean; error?: string };
    try {
      await this.probe(p);
      result = { ok: true };
    } catch (e) {
      result = { ok: false, error: message(e) };
    }
    this.probed.set(p, result);
    return result;
  }

  private probes(): ProviderStatus['probes'] {
    return [...this.probed].map(([provider, r]) => ({ provider, ...r }));
  }

  private async resolve(): Promise<ProviderStatus> {
    const requested = this.preference;
    const order = requested === 'auto' ? candidateProviders(this.platform) : [requested];
    const failures: string[] = [];
    for (const p of order) {
      const r = await this.probeOnce(p);
      if (r.ok) {
        const status: ProviderStatus = { requested, active: p, probes: this.probes() };
        // 'auto' landing on cpu is the normal case on a machine without accelerators.
        if (requested !== 'auto' && p !== requested) status.fallbackReason = failures.join('; ');
        return status;
      }
      failures.push(`${p}: ${r.error}`);
    }
    const cpu = await this.probeOnce('cpu');
    if (!cpu.ok) throw new Error(`no execution provider works (cpu: ${cpu.error})`);
    return {
      requested,
      active: 'cpu',
      fallbackReason: `${failures.join('; ')} — using cpu`,
      probes: this.probes(),
    };
  }

  /** Probes (once) and returns the status. */
  async status(): Promise<ProviderStatus> {
    if (this.resolved) return this.resolved;
    if (!this.pending) {
      const preference = this.preference;
      this.pending = this.resolve().then((s) => {
        if (this.preference === preference) {
          this.resolved = s;
          for (const fn of this.listeners) fn(s);
        }
        return s;
      });
    }
    return this.pending;
  }

  /** The provider sessions should use now. */
  async active(): Promise<ProviderName> {
    return (await this.status()).active;
  }

  /** The last resolved status without probing (undefined before the first probe). */
  current(): ProviderStatus | undefined {
    return this.resolved;
  }

  /**
   * A session could not be created on `provider` although the probe passed (an op
   * without a kernel, out of device memory…): switch to cpu and say why.
   */
  reportFailure(provider: ProviderName, err: unknown): ProviderStatus {
    const reason = `${provider} failed at session creation: ${message(err)} — using cpu`;
    this.probed.set(provider, { ok: false, error: message(err) });
    const s: ProviderStatus = {
      requested: this.preference,
      active: 'cpu',
      fallbackReason: reason,
      probes: this.probes(),
    };
    this.resolved = s;
    this.pending = undefined;
    for (const fn of this.listeners) fn(s);
    return s;
  }
}

/** The app-wide registry. */
export const providers = new ProviderRegistry();

export function setPreferredProvider(p: ProviderPreference): void {
  providers.setPreferred(p);
}

export function getProvider(): Promise<ProviderName> {
  return providers.active();
}

export function getProviderStatus(): Promise<ProviderStatus> {
  return providers.status();
}
