// Squared L2 distances between a block of rows and a few other rows:
//   Relu(|x|² + |y|² − 2·MatMul(x, yᵀ))   [n, t]
// (Relu clamps the tiny negatives that cancellation leaves.) k-means++ seeding uses it
// to score its candidate centres against the whole sample in one run. MatMul measured
// twice as fast as Gemm(transB) here, where t is tiny (8) and n large.
import { GraphBuilder } from '../graph-builder';
import { sessions as defaultSessions, type SessionCache } from '../sessions';
import type * as ort from 'onnxruntime-node';
import { f32, outputF32 } from '../tensors';

function sqDist(g: GraphBuilder, d: number): string {
  const x = g.input('x', 'float32', ['n', d]);
  const y = g.input('y', 'float32', ['t', d]);
  const xn = g.input('xn', 'float32', ['n', 1]);
  const yn = g.input('yn', 'float32', ['t']);
  const dot = g.op('MatMul', [x, g.op('Transpose', [y], { perm: [1, 0] })]);
  const s = g.op('Add', [g.op('Add', [g.op('Mul', [dot, g.constant('float32', [-2], [])]), xn]), yn]);
  return g.op('Relu', [s]);
}

export function buildSqDistGraph(d: number): Uint8Array {
  const g = new GraphBuilder(`sqdist_${d}`);
  g.output(sqDist(g, d), 'float32', ['n', 't'], 'd2');
  return g.build();
}

/**
 * One greedy k-means++ step as a single MatMul: rows are stored augmented as
 * [x, |x|², 1] (n × (d + 2)) and the t candidates as columns [−2y; 1; |y|²]
 * ((d + 2) × t), so the product is |x|² + |y|² − 2x·y directly. Three ops in all —
 * the step runs ~K times in a row, and under CPU contention every extra parallel op
 * costs a thread barrier. Returns min(closest, d²) [n, t] and its column sums (the
 * potential each candidate would leave). Values may be slightly negative (rounding).
 */
export function buildSeedStepGraph(d: number): Uint8Array {
  const g = new GraphBuilder(`seedstep_${d}`);
  const xa = g.input('xa', 'float32', ['n', d + 2]);
  const ya = g.input('ya', 'float32', [d + 2, 't']);
  const closest = g.input('closest', 'float32', ['n', 1]);
  const m = g.op('Min', [g.op('MatMul', [xa, ya]), closest]);
  g.output(m, 'float32', ['n', 't'], 'mind2');
  g.output(g.op('ReduceSum', [m, g.constant('int64', [0])], { keepdims: 0 }), 'float32', ['t'], 'pot');
  return g.build();
}

/** A sample of rows stored augmented for `buildSeedStepGraph`. */
export class AugmentedRows {
  readonly data: Float32Array;
  private ya: Float32Array = new Float32Array(0);

  constructor(
    x: Float32Array,
    readonly n: number,
    readonly d: number,
    private readonly cache: SessionCache = defaultSessions,
    /** Intra-op threads for the step session (undefined = one per core). */
    private readonly threads?: number,
  ) {
    const w = d + 2;
    this.data = new Float32Array(n * w);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const v = x[i * d + t]!;
        this.data[i * w + t] = v;
        s += v * v;
      }
      this.data[i * w + d] = s;
      this.data[i * w + d + 1] = 1;
    }
  }

  /** Row i (the first d values of its augmented row). */
  row(i: number): Float32Array {
    const w = this.d + 2;
    return this.data.subarray(i * w, i * w + this.d);
  }

  /** Squared distances of every row to each of the t rows `y`, floored by `closest`. */
  async minTo(
    y: Float32Array,
    t: number,
    closest: Float32Array,
  ): Promise<{ mind2: Float32Array; pot: Float32Array }> {
    const d = this.d;
    const w = d + 2;
    if (this.ya.length < w * t) this.ya = new Float32Array(w * t);
    const ya = this.ya.subarray(0, w * t);
    for (let q = 0; q < t; q++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const v = y[q * d + j]!;
        ya[j * t + q] = -2 * v;
        s += v * v;
      }
      ya[d * t + q] = 1;
      ya[(d + 1) * t + q] = s;
    }
    const session = await this.cache.get(
      `seedstep:${d}`,
      () => buildSeedStepGraph(d),
      this.threads === undefined ? {} : { threads: this.threads },
    );
    const out = await session.run({
      xa: f32(this.data, [this.n, w]),
      ya: f32(ya, [w, t]),
      closest: f32(closest, [this.n, 1]),
    });
    return { mind2: outputF32(out, 'mind2'), pot: outputF32(out, 'pot') };
  }
}

export function rowSqNorms(x: Float32Array, rows: number, d: number): Float32Array {
  const out = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let t = i * d, e = t + d; t < e; t++) s += x[t]! * x[t]!;
    out[i] = s;
  }
  return out;
}

/**
 * Distances from every row of a fixed block `x` (n × d) to small sets of rows `y`.
 * The block's norms are computed once; each call is one graph run.
 */
export class BlockDistances {
  private readonly xn: Float32Array;

  constructor(
    private readonly x: Float32Array,
    private readonly n: number,
    private readonly d: number,
    private readonly cache: SessionCache = defaultSessions,
  ) {
    this.xn = rowSqNorms(x, n, d);
  }

  private feeds(y: Float32Array, t: number): Record<string, ort.Tensor> {
    return {
      x: f32(this.x.subarray(0, this.n * this.d), [this.n, this.d]),
      y: f32(y.subarray(0, t * this.d), [t, this.d]),
      xn: f32(this.xn, [this.n, 1]),
      yn: f32(rowSqNorms(y, t, this.d), [t]),
    };
  }

  /** n × t row-major squared distances. */
  async to(y: Float32Array, t: number): Promise<Float32Array> {
    const session = await this.cache.get(`sqdist:${this.d}`, () => buildSqDistGraph(this.d));
    return outputF32(await session.run(this.feeds(y, t)), 'd2');
  }
}
