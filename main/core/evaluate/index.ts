// Proxy metrics for a selection (METHODS.md, "Judging a subset without pre-training").
export * from './split';
export * from './retrieval';
export * from './proxy';
export * from './coverage';
export * from './occupancy';
export * from './near-duplicates';
export * from './vocabulary';
export * from './histogram';
export * from './cost';
export * from './uncertainty';
export * from './report';
