import { afterAll, describe, expect, it } from 'vitest';
import { kmeans, kmeansStream } from '../../../main/core/compute/kmeans';
import { seedCentroids } from '../../../main/core/compute/kmeans-seeding';
import { matrixSource } from '../../../main/core/compute/row-source';
import { disposeSessions } from '../../../main/core/compute/sessions';
import { blobs, plainLloyd, randomMatrix, samePartition, sqDist } from './_helpers';

afterAll(() => disposeSessions());

describe('kmeans (l2)', () => {
  it('recovers every point of planted Gaussian blobs', async () => {
    const { x, label } = blobs(3000, 16, 8, 1);
    const r = await kmeans(x, { k: 8, iterations: 20, seed: 3, metric: 'l2' });
    expect(samePartition(r.assignment, label)).toBe(true);
    expect(r.centroids.rows).toBe(8);
    // distances are the squared distances to the returned centroids
    for (const i of [0, 17, 2999]) {
      const j = r.assignment[i]!;
      expect(r.distances[i]).toBeCloseTo(sqDist(x.data, i * 16, r.centroids.data, j * 16, 16), 3);
    }
  });

  it('matches a plain-TS Lloyd from the same seeds (inertia within 1e-4)', async () => {
    const x = randomMatrix(2000, 8, 5);
    const opts = { k: 12, iterations: 15, seed: 11, metric: 'l2' as const };
    const init = await seedCentroids(matrixSource(x), opts.k, { seed: opts.seed, metric: 'l2' });
    const ref = plainLloyd(x, init, opts.iterations);
    for (const prune of [true, false]) {
      const seen: number[] = [];
      const r = await kmeans(x, { ...opts, prune, onIteration: (it) => seen.push(it) });
      expect(r.iterations).toBe(15);
      expect(seen).toEqual(Array.from({ length: 16 }, (_, i) => i));
      expect(Math.abs(r.inertia - ref.inertia) / ref.inertia).toBeLessThan(1e-4);
      expect(samePartition(r.assignment, ref.assignment)).toBe(true);
      let sum = 0;
      for (const v of r.distances) sum += v;
      expect(Math.abs(sum - r.inertia) / r.inertia).toBeLessThan(1e-9);
    }
  });

  it('bound pruning skips rows yet gives the same result as plain Lloyd', async () => {
    const { x } = blobs(4000, 16, 20, 6, 2.0, 3);
    const opts = { k: 12, iterations: 12, seed: 4, metric: 'l2' as const };
    const gemmRows: number[] = [];
    const pruned = await kmeans(x, { ...opts, onPassStats: (_, n) => gemmRows.push(n) });
    const plain = await kmeans(x, { ...opts, prune: false });
    expect(Array.from(pruned.assignment)).toEqual(Array.from(plain.assignment));
    expect(Math.abs(pruned.inertia - plain.inertia) / plain.inertia).toBeLessThan(1e-6);
    for (let t = 0; t < pruned.centroids.data.length; t++) {
      expect(pruned.centroids.data[t]).toBeCloseTo(plain.centroids.data[t]!, 4);
    }
    expect(gemmRows[0]).toBe(4000);
    expect(gemmRows[gemmRows.length - 1]!).toBeLessThan(4000 / 2);
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const x = randomMatrix(1500, 6, 9);
    const a = await kmeans(x, { k: 7, iterations: 5, seed: 42, metric: 'l2' });
    const b = await kmeans(x, { k: 7, iterations: 5, seed: 42, metric: 'l2' });
    const c = await kmeans(x, { k: 7, iterations: 5, seed: 43, metric: 'l2' });
    expect(Array.from(a.assignment)).toEqual(Array.from(b.assignment));
    expect(Array.from(a.centroids.data)).toEqual(Array.from(b.centroids.data));
    expect(Array.from(a.centroids.data)).not.toEqual(Array.from(c.centroids.data));
  });

  it('stops on tolerance', async () => {
    const { x } = blobs(1000, 4, 5, 2);
    const r = await kmeans(x, { k: 5, iterations: 100, seed: 1, metric: 'l2', tol: 1e-6 });
    expect(r.iterations).toBeLessThan(100);
  });

  it('re-seeds an empty cluster from the farthest point', async () => {
    // two blobs plus one centroid far away from everything: it gets no member at first
    const { x, label } = blobs(600, 4, 3, 7);
    const init = { data: new Float32Array(3 * 4), rows: 3, cols: 4 };
    init.data.set(x.data.subarray(0, 4), 0); // a point of blob 0
    init.data.set(x.data.subarray(4, 8), 4); // a point of blob 1
    init.data.set([1e4, 1e4, 1e4, 1e4], 8); // nowhere
    for (const prune of [true, false]) {
      const repairs: number[] = [];
      const r = await kmeans(x, {
        k: 3,
        iterations: 10,
        seed: 1,
        metric: 'l2',
        init,
        prune,
        onRepair: (_, n) => repairs.push(n),
      });
      expect(repairs[0]).toBe(1);
      const sizes = [0, 0, 0];
      for (const a of r.assignment) sizes[a]!++;
      expect(sizes.every((s) => s > 0)).toBe(true);
      expect(samePartition(r.assignment, label)).toBe(true);
    }
  });

  it('stops when aborted', async () => {
    const x = randomMatrix(500, 4, 1);
    const ac = new AbortController();
    const p = kmeans(x, {
      k: 4,
      iterations: 50,
      seed: 1,
      metric: 'l2',
      signal: ac.signal,
      onIteration: (it) => it === 2 && ac.abort(),
    });
    await expect(p).rejects.toThrow();
  });
});

describe('kmeans (cosine / spherical)', () => {
  it('clusters directions whatever the row norms, with unit centroids', async () => {
    const { x, label } = blobs(1200, 12, 6, 4, 0.2, 3);
    // scale each row by a random positive factor: directions (and clusters) unchanged
    for (let i = 0; i < x.rows; i++) {
      const s = 0.1 + ((i * 7919) % 97);
      for (let t = 0; t < 12; t++) x.data[i * 12 + t] = x.data[i * 12 + t]! * s;
    }
    const r = await kmeans(x, { k: 6, iterations: 15, seed: 2, metric: 'cosine' });
    expect(samePartition(r.assignment, label)).toBe(true);
    for (let j = 0; j < 6; j++) {
      let s = 0;
      for (let t = 0; t < 12; t++) s += r.centroids.data[j * 12 + t]! ** 2;
      expect(Math.sqrt(s)).toBeCloseTo(1, 5);
    }
    // distance = 1 − cosine to the assigned centroid
    const i = 5;
    const j = r.assignment[i]!;
    let dot = 0;
    let nn = 0;
    for (let t = 0; t < 12; t++) {
      dot += x.data[i * 12 + t]! * r.centroids.data[j * 12 + t]!;
      nn += x.data[i * 12 + t]! ** 2;
    }
    expect(r.distances[i]).toBeCloseTo(1 - dot / Math.sqrt(nn), 5);
  });
});

describe('mini-batch kmeans', () => {
  it('reaches near the full-batch inertia', async () => {
    const { x } = blobs(6000, 16, 10, 8, 1.0, 4);
    const full = await kmeans(x, { k: 10, iterations: 20, seed: 5, metric: 'l2' });
    const src = matrixSource(x);
    const mb = await kmeansStream(src, {
      k: 10,
      iterations: 5,
      seed: 5,
      metric: 'l2',
      miniBatch: 512,
      blockRows: 64,
    });
    expect(mb.assignment.length).toBe(6000);
    expect(mb.inertia / full.inertia).toBeLessThan(1.02);
  });

  it('works in cosine mode', async () => {
    const { x, label } = blobs(3000, 8, 5, 12, 0.2, 3);
    const r = await kmeans(x, { k: 5, iterations: 4, seed: 1, metric: 'cosine', miniBatch: 256 });
    expect(samePartition(r.assignment, label)).toBe(true);
  });
});

describe('kmeans on a training sample (maxTrainRows)', () => {
  it('trains on a sample, assigns every row, and recovers planted blobs like the full run', async () => {
    const { x, label } = blobs(12_000, 16, 10, 9);
    const assigned: number[] = [];
    for (const metric of ['l2', 'cosine'] as const) {
      const full = await kmeans(x, { k: 10, iterations: 15, seed: 2, metric });
      const r = await kmeans(x, {
        k: 10,
        iterations: 15,
        seed: 2,
        metric,
        maxTrainRows: 1500,
        onAssign: (done) => assigned.push(done),
      });
      expect(r.assignment.length).toBe(12_000);
      expect(samePartition(r.assignment, label)).toBe(true);
      expect(samePartition(r.assignment, full.assignment)).toBe(true);
      // Inertia is over every row, and close to the full run's.
      expect(Math.abs(r.inertia - full.inertia) / full.inertia).toBeLessThan(0.02);
      if (metric === 'l2') {
        for (const i of [0, 5_000, 11_999]) {
          const j = r.assignment[i]!;
          expect(r.distances[i]).toBeCloseTo(sqDist(x.data, i * 16, r.centroids.data, j * 16, 16), 2);
        }
      }
    }
    expect(assigned.at(-1)).toBe(12_000);
  });

  it('changes nothing when the rows fit the sample', async () => {
    const x = randomMatrix(800, 8, 3);
    const a = await kmeans(x, { k: 4, iterations: 10, seed: 1, metric: 'l2' });
    const b = await kmeans(x, { k: 4, iterations: 10, seed: 1, metric: 'l2', maxTrainRows: 800 });
    expect(Array.from(b.assignment)).toEqual(Array.from(a.assignment));
    expect(b.inertia).toBe(a.inertia);
  });
});
