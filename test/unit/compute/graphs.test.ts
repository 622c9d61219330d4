import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphBuilder, attr } from '../../../main/core/compute/graph-builder';
import { assignNearest, CentroidAssigner } from '../../../main/core/compute/graphs/assign';
import { covariance } from '../../../main/core/compute/graphs/covariance';
import { rowDots } from '../../../main/core/compute/graphs/dot';
import { topkNeighbours } from '../../../main/core/compute/graphs/topk';
import { matrixSource } from '../../../main/core/compute/row-source';
import { disposeSessions } from '../../../main/core/compute/sessions';
import { randomMatrix, sqDist } from './_helpers';

afterAll(() => disposeSessions());

function cos(a: Float32Array, ao: number, b: Float32Array, bo: number, d: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let t = 0; t < d; t++) {
    dot += a[ao + t]! * b[bo + t]!;
    na += a[ao + t]! ** 2;
    nb += b[bo + t]! ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

describe('graph builder', () => {
  it('builds a model onnxruntime runs (initializer, typed attributes, symbolic dims)', async () => {
    const g = new GraphBuilder('t');
    const x = g.input('x', 'float32', ['n', 3]);
    const w = g.initializer('w', {
      type: 'float32',
      dims: [3, 2],
      data: Float32Array.from([1, 0, 0, 1, 1, 1]),
    });
    const y = g.op('Gemm', [x, w], { alpha: attr.float(2) });
    g.output(y, 'float32', ['n', 2], 'y');
    const s = await ort.InferenceSession.create(g.build());
    const out = await s.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]) });
    expect(Array.from(out.y!.data as Float32Array)).toEqual([8, 10, 20, 22]);
    expect(s.inputNames).toEqual(['x']);
    await s.release();
  });

  it('refuses a float given as a plain number and duplicate names', () => {
    const g = new GraphBuilder('t');
    g.input('x', 'float32', [1]);
    expect(() => g.input('x', 'float32', [1])).toThrow(/twice/);
    expect(() => g.node('LeakyRelu', ['x'], ['y'], { alpha: 0.5 })).toThrow(/attr.float/);
  });
});

describe('assignment graph', () => {
  it('matches plain loops (index and squared distance), across chunks', async () => {
    const x = randomMatrix(301, 10, 1, 3);
    const c = randomMatrix(17, 10, 2, 3);
    const r = await assignNearest(x, c, { chunkRows: 37 });
    for (let i = 0; i < x.rows; i++) {
      let best = 0;
      let bd = Infinity;
      for (let j = 0; j < c.rows; j++) {
        const dd = sqDist(x.data, i * 10, c.data, j * 10, 10);
        if (dd < bd) {
          bd = dd;
          best = j;
        }
      }
      expect(r.assignment[i]).toBe(best);
      expect(r.distances[i]).toBeCloseTo(bd, 3);
    }
  });

  it('keeps exact distances when |x|² dwarfs them', async () => {
    // rows far from the origin: |x|² + |c|² − 2x·c would lose every digit here
    const x = randomMatrix(50, 8, 3, 0.01);
    for (let i = 0; i < x.data.length; i++) x.data[i] = x.data[i]! + 1000;
    const c = { data: Float32Array.from(x.data.subarray(0, 16)), rows: 2, cols: 8 };
    const r = await assignNearest(x, c);
    const i = 10;
    const exact = sqDist(x.data, i * 8, c.data, r.assignment[i]! * 8, 8);
    expect(Math.abs(r.distances[i]! - exact)).toBeLessThan(1e-4 * Math.max(exact, 1e-3));
  });

  it('cosine mode returns the argmax cosine and 1 − cos', async () => {
    const x = randomMatrix(64, 6, 4);
    const c = randomMatrix(5, 6, 5);
    const r = await assignNearest(x, c, { metric: 'cosine' });
    for (let i = 0; i < x.rows; i++) {
      let best = 0;
      let bc = -Infinity;
      for (let j = 0; j < 5; j++) {
        const v = cos(x.data, i * 6, c.data, j * 6, 6);
        if (v > bc) {
          bc = v;
          best = j;
        }
      }
      expect(r.assignment[i]).toBe(best);
      expect(r.distances[i]).toBeCloseTo(1 - bc, 5);
    }
  });

  it('sizes chunks from K and memory, never N × K at once', () => {
    const a = CentroidAssigner.create(256, 'l2');
    a.setCentroids({ data: new Float32Array(1000 * 256), rows: 1000, cols: 256 });
    const rows = a.chunkRows(10_000_000);
    expect(rows).toBeGreaterThan(0);
    expect(rows * 1000 * 4).toBeLessThanOrEqual(256 * 1024 * 1024);
  });
});

describe('top-k cosine graph', () => {
  function bruteTopK(
    q: { data: Float32Array; rows: number; cols: number },
    b: typeof q,
    k: number,
    excludeSelf: boolean,
  ) {
    const out: number[][] = [];
    for (let i = 0; i < q.rows; i++) {
      const s: Array<[number, number]> = [];
      for (let j = 0; j < b.rows; j++)
        if (!(excludeSelf && i === j)) s.push([cos(q.data, i * q.cols, b.data, j * b.cols, q.cols), j]);
      s.sort((x, y) => y[0] - x[0]);
      out.push(s.slice(0, k).map((p) => p[1]));
    }
    return out;
  }

  it('matches brute force, merging base blocks', async () => {
    const q = randomMatrix(40, 12, 6);
    const b = randomMatrix(230, 12, 7);
    const r = await topkNeighbours(q, b, 5, { baseBlockRows: 50, queryBlockRows: 16 });
    const ref = bruteTopK(q, b, 5, false);
    expect(r.k).toBe(5);
    for (let i = 0; i < q.rows; i++) {
      expect(Array.from(r.indices.subarray(i * 5, i * 5 + 5))).toEqual(ref[i]);
      expect(r.scores[i * 5]).toBeCloseTo(cos(q.data, i * 12, b.data, ref[i]![0]! * 12, 12), 5);
    }
  });

  it('excludes each row itself when asked', async () => {
    const x = randomMatrix(90, 8, 8);
    const r = await topkNeighbours(x, x, 3, { excludeSelf: true, baseBlockRows: 25 });
    const ref = bruteTopK(x, x, 3, true);
    for (let i = 0; i < x.rows; i++) {
      expect(Array.from(r.indices.subarray(i * 3, i * 3 + 3))).toEqual(ref[i]);
    }
  });
});

describe('row-wise dot graph', () => {
  it('matches plain loops (dot and cosine)', async () => {
    const a = randomMatrix(123, 9, 9);
    const b = randomMatrix(123, 9, 10);
    const dots = await rowDots(a, b, { chunkRows: 50 });
    const coss = await rowDots(a, b, { cosine: true });
    for (let i = 0; i < a.rows; i++) {
      let s = 0;
      for (let t = 0; t < 9; t++) s += a.data[i * 9 + t]! * b.data[i * 9 + t]!;
      expect(dots[i]).toBeCloseTo(s, 4);
      expect(coss[i]).toBeCloseTo(cos(a.data, i * 9, b.data, i * 9, 9), 5);
    }
  });
});

describe('covariance graph', () => {
  it('matches the two-pass plain loop', async () => {
    const x = randomMatrix(500, 7, 11, 2);
    for (let i = 0; i < x.rows; i++) x.data[i * 7] = x.data[i * 7]! + 5 + 0.5 * x.data[i * 7 + 1]!;
    const c = await covariance(matrixSource(x), { chunkRows: 64 });
    const mean = new Float64Array(7);
    for (let i = 0; i < x.rows; i++)
      for (let t = 0; t < 7; t++) mean[t] = mean[t]! + x.data[i * 7 + t]! / x.rows;
    for (let p = 0; p < 7; p++) {
      expect(c.mean[p]).toBeCloseTo(mean[p]!, 4);
      for (let q = 0; q < 7; q++) {
        let s = 0;
        for (let i = 0; i < x.rows; i++)
          s += (x.data[i * 7 + p]! - mean[p]!) * (x.data[i * 7 + q]! - mean[q]!);
        expect(c.cov[p * 7 + q]).toBeCloseTo(s / (x.rows - 1), 3);
      }
    }
  });
});
