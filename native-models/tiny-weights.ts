// Seeded weights and small graph fragments shared by the tiny test models.
import { createRng, type Rng } from '../main/core/compute/prng';
import type { GraphBuilder } from '../main/core/compute/graph-builder';

export class TinyWeights {
  private readonly rng: Rng;
  constructor(seed: number) {
    this.rng = createRng(seed);
  }

  /** Uniform in ±scale, default scale 1/sqrt(fan-in) so activations stay O(1). */
  matrix(g: GraphBuilder, name: string, dims: readonly number[], scale?: number): string {
    const count = dims.reduce((a, b) => a * b, 1);
    const s = scale ?? 1 / Math.sqrt(dims[0] ?? 1);
    const data = new Float32Array(count);
    for (let i = 0; i < count; i++) data[i] = (this.rng.next() * 2 - 1) * s;
    return g.initializer(name, { type: 'float32', dims, data });
  }

  filled(g: GraphBuilder, name: string, dims: readonly number[], value: number): string {
    const count = dims.reduce((a, b) => a * b, 1);
    return g.initializer(name, { type: 'float32', dims, data: new Float32Array(count).fill(value) });
  }
}

/** LayerNormalization over the last axis with named γ/β initializers (opset 17). */
export function layerNorm(g: GraphBuilder, w: TinyWeights, x: string, prefix: string, dim: number): string {
  const gamma = w.filled(g, `${prefix}.weight`, [dim], 1);
  const beta = w.filled(g, `${prefix}.bias`, [dim], 0);
  return g.op('LayerNormalization', [x, gamma, beta], { axis: -1, epsilon: { kind: 'float', value: 1e-5 } });
}

/** x + tanh(x·W): one cheap non-linear mixing block. */
export function residualTanh(g: GraphBuilder, w: TinyWeights, x: string, name: string, dim: number): string {
  const m = w.matrix(g, name, [dim, dim]);
  return g.op('Add', [x, g.op('Tanh', [g.op('MatMul', [x, m])])]);
}

/**
 * Patchify pixel_values [B, 3, S, S] into [B, (S/p)², 3·p·p] with Reshape/Transpose
 * (a strided conv without a Conv node), then embed with one MatMul.
 */
export function patchEmbed(
  g: GraphBuilder,
  w: TinyWeights,
  pixels: string,
  image: number,
  patch: number,
  hidden: number,
): string {
  const n = image / patch;
  const grid = g.op('Reshape', [pixels, g.constant('int64', [-1, 3, n, patch, n, patch])]);
  const moved = g.op('Transpose', [grid], { perm: [0, 2, 4, 1, 3, 5] });
  const flat = g.op('Reshape', [moved, g.constant('int64', [-1, n * n, 3 * patch * patch])]);
  return g.op('MatMul', [flat, w.matrix(g, 'embeddings.patch_embedding', [3 * patch * patch, hidden])]);
}
