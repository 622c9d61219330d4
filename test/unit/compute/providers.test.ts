import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../main/core/compute/graph-builder';
import { candidateProviders, ProviderRegistry, probeWithOrt } from '../../../main/core/compute/providers';
import { SessionCache } from '../../../main/core/compute/sessions';

describe('execution providers', () => {
  it('lists cuda, then the platform accelerator, then cpu', () => {
    expect(candidateProviders('linux')).toEqual(['cuda', 'cpu']);
    expect(candidateProviders('win32')).toEqual(['cuda', 'dml', 'cpu']);
    expect(candidateProviders('darwin')).toEqual(['cuda', 'coreml', 'cpu']);
  });

  it('falls back to cpu with a reason when cuda is requested but missing (real onnxruntime)', async () => {
    const reg = new ProviderRegistry(probeWithOrt, 'linux');
    reg.setPreferred('cuda');
    const s = await reg.status();
    expect(s.requested).toBe('cuda');
    expect(s.active).toBe('cpu');
    expect(s.fallbackReason).toMatch(/cuda/);
    expect(s.probes.find((p) => p.provider === 'cuda')?.ok).toBe(false);
    // 'auto' lands on cpu without calling it a fallback
    reg.setPreferred('auto');
    const auto = await reg.status();
    expect(auto.active).toBe('cpu');
    expect(auto.fallbackReason).toBeUndefined();
  });

  it('probes each provider once', async () => {
    const calls: string[] = [];
    const reg = new ProviderRegistry(async (p) => {
      calls.push(p);
      if (p !== 'cpu') throw new Error(`${p} missing`);
    }, 'win32');
    await reg.status();
    reg.setPreferred('dml');
    await reg.status();
    reg.setPreferred('auto');
    expect(await reg.active()).toBe('cpu');
    expect(calls).toEqual(['cuda', 'dml', 'cpu']);
  });

  it('falls back to cpu when a provider passes the probe but fails at session creation', async () => {
    // pretend cuda probed fine: creating a real session on it then fails here
    const reg = new ProviderRegistry(async () => undefined, 'linux');
    reg.setPreferred('cuda');
    expect(await reg.active()).toBe('cuda');
    const changes: string[] = [];
    reg.onChange((s) => changes.push(s.active));
    const cache = new SessionCache(reg);
    const g = new GraphBuilder('id');
    g.input('x', 'float32', [2]);
    g.output(g.op('Neg', ['x']), 'float32', [2], 'y');
    const session = await cache.get('neg', () => g.build());
    expect(session.outputNames).toEqual(['y']);
    const s = reg.current();
    expect(s?.active).toBe('cpu');
    expect(s?.fallbackReason).toMatch(/cuda failed at session creation/);
    expect(changes).toContain('cpu');
    await cache.dispose();
  });
});
