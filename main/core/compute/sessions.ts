// One onnxruntime session per graph "shape family" (graph kind + the sizes baked into
// it; the batch dimension stays symbolic), created on first use on the active provider
// and reused. A session that cannot be created on an accelerator is retried on cpu and
// the registry records why.
import * as ort from 'onnxruntime-node';
import {
  providers as defaultProviders,
  sessionOptions,
  type ProviderName,
  type ProviderRegistry,
} from './providers';

interface Entry {
  provider: ProviderName;
  session: Promise<ort.InferenceSession>;
}

export class SessionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly registry: ProviderRegistry = defaultProviders) {}

  /**
   * The cached session for `key`, creating it from `build()` when missing. `threads`
   * overrides the intra-op thread count (default: one per core).
   */
  async get(
    key: string,
    build: () => Uint8Array,
    opts: { threads?: number } = {},
  ): Promise<ort.InferenceSession> {
    if (opts.threads !== undefined) key = `${key}#t${opts.threads}`;
    const provider = await this.registry.active();
    const existing = this.entries.get(key);
    if (existing && existing.provider === provider) return existing.session;
    if (existing) void existing.session.then((s) => s.release()).catch(() => undefined);
    const entry: Entry = { provider, session: this.create(key, build, provider, opts.threads) };
    this.entries.set(key, entry);
    entry.session.catch(() => this.entries.delete(key));
    return entry.session;
  }

  private async create(
    key: string,
    build: () => Uint8Array,
    provider: ProviderName,
    threads?: number,
  ): Promise<ort.InferenceSession> {
    const model = build();
    const options = (p: ProviderName): ort.InferenceSession.SessionOptions => ({
      ...sessionOptions(p),
      ...(threads !== undefined && { intraOpNumThreads: threads }),
    });
    try {
      return await ort.InferenceSession.create(model, options(provider));
    } catch (e) {
      if (provider === 'cpu') throw new Error(`cannot create session ${key}: ${(e as Error).message}`);
      this.registry.reportFailure(provider, e);
      const entry = this.entries.get(key);
      if (entry) entry.provider = 'cpu';
      return ort.InferenceSession.create(model, options('cpu'));
    }
  }

  async dispose(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.session.then((s) => s.release()).catch(() => undefined)));
  }
}

/** The app-wide cache used by the compute graphs. */
export const sessions = new SessionCache();

/** Releases every cached session (tests, shutdown). */
export function disposeSessions(): Promise<void> {
  return sessions.dispose();
}
