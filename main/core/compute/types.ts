// Shapes shared by the compute layer and the methods built on it.

/** Row-major float32 matrix. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

export type Metric = 'l2' | 'cosine';

export interface KMeansOptions {
  k: number;
  /** Maximum iterations (the authors' TL;DR setting is 20). */
  iterations: number;
  seed: number;
  /** 'cosine' = spherical k-means (unit-norm rows and centroids). */
  metric: Metric;
  /** Stop when the relative inertia change falls below this. 0 = run all iterations. */
  tol?: number;
  /** Mini-batch size for data that does not fit in memory; undefined = full batch. */
  miniBatch?: number;
  onIteration?: (it: number, inertia: number) => void;
  signal?: AbortSignal;
}

export interface KMeansResult {
  centroids: Matrix;
  /** Cluster of each row. */
  assignment: Int32Array;
  /** Squared L2 distance (l2) or 1 − cosine (cosine) of each row to its centroid. */
  distances: Float32Array;
  inertia: number;
  iterations: number;
}

/** rows × k nearest neighbours, best first. */
export interface TopKResult {
  indices: Int32Array;
  scores: Float32Array;
  k: number;
}
