// The compute layer's public surface. Heavy linear algebra runs as ONNX graphs built at
// run time (graph-builder.ts) on the execution provider chosen in providers.ts.
export type { Matrix, Metric, KMeansOptions, KMeansResult, TopKResult } from './types';
export type { RowSource } from './row-source';
export { matrixSource } from './row-source';

export { GraphBuilder, attr } from './graph-builder';
export type { AttrValue, Dim, ElemType, GraphBuilderOptions, TensorInit } from './graph-builder';

export {
  candidateProviders,
  getProvider,
  getProviderStatus,
  ProviderRegistry,
  providers,
  setPreferredProvider,
} from './providers';
export type { ProviderName, ProviderPreference, ProviderStatus } from './providers';
export { SessionCache, sessions, disposeSessions } from './sessions';
export { rowsPerChunk, memoryBudgetBytes } from './chunking';
export { createRng } from './prng';
export type { Rng } from './prng';

export { assignNearest, CentroidAssigner, normalizeRows } from './graphs/assign';
export { topkNeighbours } from './graphs/topk';
export type { TopKOptions, SimilarityMetric } from './graphs/topk';
export { rowDots } from './graphs/dot';
export { covariance } from './graphs/covariance';
export type { Covariance } from './graphs/covariance';
export { symmetricEigen } from './eigen';
export type { SymmetricEigen } from './eigen';
export { fitPca, transformPca } from './pca';
export type { PcaModel, PcaOptions } from './pca';

export { kmeans, kmeansStream } from './kmeans';
export type { KMeansRunOptions } from './kmeans';
export { seedCentroids } from './kmeans-seeding';
