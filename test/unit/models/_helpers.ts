// Shared fixtures: tiny models generated once per test file, a cpu-only provider registry
// (no real accelerator probe), and deterministic test images.
import { ProviderRegistry, type ProviderName } from '../../../main/core/compute/providers';
import { generateTiny } from '../../../native-models/generate-tiny';
import type { PixelBuffer } from '../../../main/core/models/image-input';
import { tempDir } from '../../helpers/tmp';

export function tinyModels(): { dirs: ReturnType<typeof generateTiny>; root: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir('tldr-models-');
  return { dirs: generateTiny(dir), root: dir, cleanup };
}

/** A registry whose probe accepts only the given providers (cpu always works). */
export function fakeProviders(working: ProviderName[] = ['cpu']): ProviderRegistry {
  return new ProviderRegistry(async (p) => {
    if (p !== 'cpu' && !working.includes(p)) throw new Error(`${p} is not available on this machine`);
  }, 'linux');
}

/** A w×h RGB image with a seeded pattern (different seeds → different images). */
export function testImage(seed: number, w = 40, h = 30): PixelBuffer {
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < data.length; i++)
    data[i] = (i * (seed * 7 + 3) + seed * 31 + ((i / 3) % w) * seed) & 255;
  return { data, width: w, height: h };
}

export function norm(v: Float32Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
