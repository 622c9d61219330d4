// Maps the app's execution-provider choice (compute/providers.ts) to a transformers.js
// `device`, and loads a model there with a fallback to cpu that says why.
import type { InferenceSession } from 'onnxruntime-node';
import {
  providers as defaultProviders,
  sessionOptions,
  type ProviderName,
  type ProviderRegistry,
} from '../compute/providers';

export type TransformersDevice = 'cpu' | 'cuda' | 'dml' | 'coreml';

const DEVICE_OF: Record<ProviderName, TransformersDevice> = {
  cpu: 'cpu',
  cuda: 'cuda',
  dml: 'dml',
  coreml: 'coreml',
};

export function deviceForProvider(p: ProviderName): TransformersDevice {
  return DEVICE_OF[p];
}

export interface DeviceChoice {
  device: TransformersDevice;
  /** Why the model does not run on the provider that was asked for. */
  fallbackReason?: string;
}

export interface Loaded<T> extends DeviceChoice {
  value: T;
}

/**
 * Loads with `load(device, sessionOptions)` on the registry's active provider; if that
 * fails on an accelerator, records the failure in the registry and loads on cpu.
 */
export async function loadOnDevice<T>(
  load: (device: TransformersDevice, options: InferenceSession.SessionOptions) => Promise<T>,
  registry: ProviderRegistry = defaultProviders,
): Promise<Loaded<T>> {
  const status = await registry.status();
  const provider = status.active;
  try {
    const value = await load(deviceForProvider(provider), sessionOptions(provider));
    const choice: Loaded<T> = { value, device: deviceForProvider(provider) };
    if (status.fallbackReason) choice.fallbackReason = status.fallbackReason;
    return choice;
  } catch (e) {
    if (provider === 'cpu') throw e;
    const after = registry.reportFailure(provider, e);
    const value = await load('cpu', sessionOptions('cpu'));
    return { value, device: 'cpu', fallbackReason: after.fallbackReason ?? `${provider} failed — using cpu` };
  }
}
