// Graphs for bound-pruned k-means (kmeans-pruned.ts), L2 only:
//  - `rowdist`: exact squared distance of each row to a given centroid,
//    ReduceSumSquare(x − Gather(c, idx)) — O(n·d), memory-bound;
//  - `assign2`: like graphs/assign.ts but TopK(2) instead of ArgMin, so the distance
//    to the second-nearest centroid comes out too (|c|² − 2x·c + |x|², approximate:
//    the caller subtracts a rounding margin before using it as a lower bound).
import { GraphBuilder, attr } from '../graph-builder';
import { sessions as defaultSessions, type SessionCache } from '../sessions';
import { f32, outputF32, outputI32 } from '../tensors';
import * as ort from 'onnxruntime-node';

export function buildRowDistGraph(d: number): Uint8Array {
  const g = new GraphBuilder(`rowdist_${d}`);
  const x = g.input('x', 'float32', ['n', d]);
  const c = g.input('c', 'float32', ['k', d]);
  const idx = g.input('idx', 'int32', ['n']);
  const diff = g.op('Sub', [x, g.op('Gather', [c, idx], { axis: 0 })]);
  g.output(g.op('ReduceSumSquare', [diff], { axes: [1], keepdims: 0 }), 'float32', ['n'], 'dist');
  return g.build();
}

export function buildAssign2Graph(d: number): Uint8Array {
  const g = new GraphBuilder(`assign2_${d}`);
  const x = g.input('x', 'float32', ['n', d]);
  const c = g.input('c', 'float32', ['k', d]);
  const cn = g.input('cn', 'float32', ['k']);
  const scores = g.op('Gemm', [x, c, cn], { alpha: attr.float(-2), beta: attr.float(1), transB: 1 });
  const [vals, idx2] = g.node('TopK', [scores, g.constant('int64', [2])], 2, {
    axis: 1,
    largest: 0,
    sorted: 1,
  });
  const first = g.constant('int64', [0], []);
  const second = g.constant('int64', [1], []);
  const best = g.op('Gather', [idx2!, first], { axis: 1 });
  const sq = g.op('ReduceSumSquare', [x], { axes: [1], keepdims: 0 });
  const diff = g.op('Sub', [x, g.op('Gather', [c, best], { axis: 0 })]);
  g.output(g.op('Cast', [best], { to: 6 }), 'int32', ['n'], 'index');
  g.output(g.op('ReduceSumSquare', [diff], { axes: [1], keepdims: 0 }), 'float32', ['n'], 'dist');
  g.output(g.op('Add', [g.op('Gather', [vals!, second], { axis: 1 }), sq]), 'float32', ['n'], 'second');
  g.output(sq, 'float32', ['n'], 'sqnorm');
  return g.build();
}

export class BoundsGraphs {
  private c: Float32Array = new Float32Array(0);
  private cn: Float32Array = new Float32Array(0);
  private k = 0;
  /** Largest |c|² (for the rounding margin of `second`). */
  maxCentroidSqNorm = 0;

  constructor(
    readonly d: number,
    private readonly cache: SessionCache = defaultSessions,
  ) {}

  setCentroids(c: Float32Array, k: number): void {
    const d = this.d;
    this.c = c.subarray(0, k * d);
    this.k = k;
    this.cn = new Float32Array(k);
    let mx = 0;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = j * d, e = t + d; t < e; t++) s += c[t]! * c[t]!;
      this.cn[j] = s;
      if (s > mx) mx = s;
    }
    this.maxCentroidSqNorm = mx;
  }

  private centroidTensor(): ort.Tensor {
    return f32(this.c, [this.k, this.d]);
  }

  async rowDist(x: Float32Array, n: number, idx: Int32Array): Promise<Float32Array> {
    const s = await this.cache.get(`rowdist:${this.d}`, () => buildRowDistGraph(this.d));
    const out = await s.run({
      x: f32(x.subarray(0, n * this.d), [n, this.d]),
      c: this.centroidTensor(),
      idx: new ort.Tensor('int32', idx.subarray(0, n), [n]),
    });
    return outputF32(out, 'dist');
  }

  async assign2(
    x: Float32Array,
    n: number,
  ): Promise<{ index: Int32Array; dist: Float32Array; second: Float32Array; sqnorm: Float32Array }> {
    const s = await this.cache.get(`assign2:${this.d}`, () => buildAssign2Graph(this.d));
    const out = await s.run({
      x: f32(x.subarray(0, n * this.d), [n, this.d]),
      c: this.centroidTensor(),
      cn: f32(this.cn, [this.k]),
    });
    return {
      index: outputI32(out, 'index'),
      dist: outputF32(out, 'dist'),
      second: outputF32(out, 'second'),
      sqnorm: outputF32(out, 'sqnorm'),
    };
  }
}
