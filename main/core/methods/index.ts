// Selection methods: pure functions over arrays (features, assignments, scores, captions).
export * from './types';
export * from './selection';
export * from './random';
export * from './tldr';
export * from './tldr-plan';
export * from './tldr-features';
export * from './wfpp';
export * from './word-stats';
export * from './alignment-filter';
export * from './alignment';
export * from './semdedup';
export * from './layout-embedding';
export * from './prototypicality';
export * from './density-pruning';
export * from './compose';
export * from './clusters';
export * from './pca';
export { mulberry32, permutation, shuffleInPlace } from './rng';
