import { describe, expect, it } from 'vitest';
import { semDeDup } from '../../../main/core/methods/semdedup';
import { reasonAt } from '../../../main/core/methods/selection';
import type { Matrix } from '../../../main/core/compute/types';
import { testKMeans } from './helpers/kmeans';
import { clusteredUnitVectors, randn } from './helpers/synthetic';

/** 1500 unit vectors in 20 concepts of unequal size, plus 150 planted near-copies (cos ≈ 0.998). */
function withPlantedDuplicates() {
  const sizes = Array.from({ length: 20 }, (_, c) => 30 + ((c * 37) % 90));
  const total = sizes.reduce((a, b) => a + b, 0);
  const base = clusteredUnitVectors(sizes, 32, 0.15, 11);
  const g = randn(12);
  const d = 32;
  const dups = 150;
  const data = new Float32Array((total + dups) * d);
  data.set(base.x.data);
  const original = new Int32Array(total + dups).fill(-1);
  for (let k = 0; k < dups; k++) {
    const src = (k * 97) % total; // spread over the dataset
    const dst = total + k;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = base.x.data[src * d + t]! + 0.01 * g();
      data[dst * d + t] = v;
      s += v * v;
    }
    for (let t = 0; t < d; t++) data[dst * d + t] = data[dst * d + t]! / Math.sqrt(s);
    original[dst] = src;
  }
  const x: Matrix = { data, rows: total + dups, cols: d };
  return { x, original, dups, total };
}

describe('SemDeDup', () => {
  const { x, original, dups } = withPlantedDuplicates();
  const km = testKMeans(x, 20, { seed: 3, metric: 'cosine', restarts: 2 });

  it('finds planted near-duplicates with recall and precision ≥ 0.95 at ε = 0.005', () => {
    const res = semDeDup({
      embeddings: x,
      assignment: km.assignment,
      centroids: km.centroids,
      distances: km.distances,
      epsilons: [0.005],
    });
    let found = 0;
    for (let i = 0; i < x.rows; i++) {
      const src = original[i]!;
      if (src >= 0 && (!res.kept[i] || !res.kept[src])) found++;
    }
    let dropped = 0;
    let droppedPlanted = 0;
    const planted = new Set<number>();
    for (let i = 0; i < x.rows; i++) if (original[i]! >= 0) planted.add(i).add(original[i]!);
    for (let i = 0; i < x.rows; i++) {
      if (res.kept[i]) continue;
      dropped++;
      if (planted.has(i)) droppedPlanted++;
    }
    const recall = found / dups;
    const precision = droppedPlanted / dropped;
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(precision).toBeGreaterThanOrEqual(0.95);
    // The dropped member's reason carries its similarity to the kept copy.
    const i = res.kept.findIndex((k, j) => !k && planted.has(j));
    expect(reasonAt(res.reasons, i).code).toBe('near-duplicate');
    expect(reasonAt(res.reasons, i).score).toBeGreaterThan(0.995);
  });

  it('reports several ε in one pass; larger ε drops more', () => {
    const eps = [0.005, 0.05, 0.2, 0.5];
    const res = semDeDup({
      embeddings: x,
      assignment: km.assignment,
      centroids: km.centroids,
      epsilons: eps,
      primary: 0.05,
    });
    const counts = res.perEpsilon.map((p) => p.kept);
    for (let k = 1; k < counts.length; k++) expect(counts[k]!).toBeLessThanOrEqual(counts[k - 1]!);
    expect(counts[3]!).toBeLessThan(counts[1]!);
    expect(res.keptCount).toBe(counts[1]);
    // Each ε's mask equals a separate single-ε run.
    const single = semDeDup({
      embeddings: x,
      assignment: km.assignment,
      centroids: km.centroids,
      epsilons: [0.2],
    });
    expect(Array.from(res.perEpsilon[2]!.mask)).toEqual(Array.from(single.kept));
  });

  it('gives the same answer with tiny similarity blocks (bounded memory)', () => {
    const a = semDeDup({
      embeddings: x,
      assignment: km.assignment,
      centroids: km.centroids,
      epsilons: [0.05],
    });
    const b = semDeDup({
      embeddings: x,
      assignment: km.assignment,
      centroids: km.centroids,
      epsilons: [0.05],
      maxBlockFloats: 64,
    });
    expect(Array.from(b.kept)).toEqual(Array.from(a.kept));
  });

  it('compares only against KEPT members, farthest from the centroid first; singletons stay', () => {
    // One cluster on the unit circle, centroid at angle 0; members at 0.30, 0.15, 0.00 and 0.149
    // rad, visited farthest first: 0.30, 0.15, 0.149, 0.00. At ε = 0.01 (cos > 0.99 drops):
    // 0.30 kept; 0.15 has cos 0.9888 to it → kept; 0.149 has cos ≈ 1 to 0.15 → dropped;
    // 0.00 has max cos 0.9888 (to 0.15) → kept.
    const ang = [0.3, 0.15, 0.0, 0.149, 2.0];
    const data = new Float32Array(ang.flatMap((a) => [Math.cos(a), Math.sin(a)]));
    const emb: Matrix = { data, rows: 5, cols: 2 };
    const centroids: Matrix = { data: Float32Array.from([1, 0, Math.cos(2), Math.sin(2)]), rows: 2, cols: 2 };
    const assignment = Int32Array.from([0, 0, 0, 0, 1]);
    const res = semDeDup({ embeddings: emb, assignment, centroids, epsilons: [0.01] });
    expect(Array.from(res.kept)).toEqual([1, 1, 1, 0, 1]);
    expect(reasonAt(res.reasons, 4).code).toBe('singleton-cluster');
    // Chain: at ε = 0.02 (threshold 0.98): 0.30 kept; 0.15 (cos 0.9888 > 0.98) dropped; 0.149 is
    // within 0.151 of 0.30 → cos 0.9886 → dropped; 0.00 is compared with the KEPT 0.30 only →
    // cos(0.3) = 0.955 → kept (comparing with the dropped 0.149 would have dropped it).
    const chain = semDeDup({ embeddings: emb, assignment, centroids, epsilons: [0.02] });
    expect(Array.from(chain.kept)).toEqual([1, 0, 1, 0, 1]);
  });
});
