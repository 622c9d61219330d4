// Decompression-bomb guard: images whose header declares more pixels than this are
// refused before any decode (a 50,000 × 50,000 PNG header is 2.5 G pixels).
export const DEFAULT_MAX_PIXELS = 100_000_000;
