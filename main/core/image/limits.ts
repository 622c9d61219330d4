// Decompression-bomb guard: images whose header declares more pixels than this are
// refused before any decode (a 50,000 × 50,000 PNG header is 2.5 G pixels).
export const DEFAULT_MAX_PIXELS = 100_000_000;

// A single image larger than this is refused before it is read into memory: no real
// training image is this big, and a wrong tar offset or a video file should not OOM us.
export const DEFAULT_MAX_IMAGE_BYTES = 256 * 1024 * 1024;
