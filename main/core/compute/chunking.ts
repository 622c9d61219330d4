// How many rows to hand a graph at once. Large enough that per-run overhead vanishes
// and the Gemm stays efficient, small enough that no N×K (or N×M) matrix ever exists
// at full size: the budget is a fraction of free memory, capped.
import os from 'node:os';

/** Upper bound on the bytes one chunk's intermediates may take. */
export const CHUNK_BYTES_CAP = 256 * 1024 * 1024;

/** Rows per chunk that measured best for Gemm + ArgMin on 2 cores (d = 256, K = 1000). */
export const PREFERRED_CHUNK_ROWS = 4096;

export function memoryBudgetBytes(cap = CHUNK_BYTES_CAP): number {
  return Math.max(8 * 1024 * 1024, Math.min(cap, Math.floor(os.freemem() / 4)));
}

/**
 * Rows per chunk when each row needs `bytesPerRow` bytes of intermediates
 * (e.g. 4·(K + 2d) for an assignment: its K scores plus gathered centroid rows).
 */
export function rowsPerChunk(
  bytesPerRow: number,
  opts: { preferred?: number; budgetBytes?: number; total?: number } = {},
): number {
  const budget = opts.budgetBytes ?? memoryBudgetBytes();
  const byMemory = Math.max(1, Math.floor(budget / Math.max(1, bytesPerRow)));
  const rows = Math.min(opts.preferred ?? PREFERRED_CHUNK_ROWS, byMemory);
  return Math.max(1, opts.total !== undefined ? Math.min(rows, Math.max(1, opts.total)) : rows);
}

/** [start, count) pairs covering [0, total). */
export function* chunkRanges(total: number, rows: number, from = 0): Generator<[number, number]> {
  for (let s = from; s < total; s += rows) yield [s, Math.min(rows, total - s)];
}
