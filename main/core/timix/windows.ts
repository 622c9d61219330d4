// Square windows on the patch grid: the s × s window with the highest (source) or
// lowest (target) summed saliency, found with 2-D prefix sums in O(G²) per image.

export interface PatchWindow {
  /** Top row and left column of the window, in patches. */
  row: number;
  col: number;
  /** Side in patches. */
  size: number;
}

export interface ScoredWindow extends PatchWindow {
  /** Summed saliency inside the window. */
  sum: number;
}

/**
 * Inclusive prefix sums of a grid × grid map, (grid + 1)² entries in float64:
 * P[r·(grid+1) + c] = Σ map[i·grid + j] over i < r, j < c.
 */
export function prefixSums(map: ArrayLike<number>, grid: number): Float64Array {
  if (map.length !== grid * grid) throw new RangeError(`expected ${grid}×${grid} values, got ${map.length}`);
  const w = grid + 1;
  const p = new Float64Array(w * w);
  for (let r = 0; r < grid; r++) {
    let rowSum = 0;
    for (let c = 0; c < grid; c++) {
      rowSum += map[r * grid + c]!;
      p[(r + 1) * w + c + 1] = p[r * w + c + 1]! + rowSum;
    }
  }
  return p;
}

/** Sum of the size × size window at (row, col) from prefix sums of a grid × grid map. */
export function windowSum(p: Float64Array, grid: number, row: number, col: number, size: number): number {
  const w = grid + 1;
  return (
    p[(row + size) * w + col + size]! -
    p[row * w + col + size]! -
    p[(row + size) * w + col]! +
    p[row * w + col]!
  );
}

/**
 * Squared distance (×4, an integer) from the window's centre to the grid's centre.
 * Breaks ties so that a flat map (a caption with no known word) still gives a sensible
 * choice under the usual centre bias of photos: the source's centre is pasted, over a
 * corner of the target.
 */
export function centreDistance(row: number, col: number, size: number, grid: number): number {
  return (2 * row + size - grid) ** 2 + (2 * col + size - grid) ** 2;
}

/**
 * The highest- and lowest-sum size × size windows of a grid × grid map. Ties: the highest
 * window nearest the centre, the lowest one farthest from it, then the first in
 * row-major order.
 */
export function extremeWindows(
  map: ArrayLike<number>,
  grid: number,
  size: number,
): { highest: ScoredWindow; lowest: ScoredWindow } {
  if (!Number.isInteger(size) || size < 1 || size > grid)
    throw new RangeError(`window side ${size} outside 1…${grid}`);
  const p = prefixSums(map, grid);
  let hi = { row: 0, col: 0, size, sum: -Infinity, d: 0 };
  let lo = { row: 0, col: 0, size, sum: Infinity, d: 0 };
  const last = grid - size;
  for (let row = 0; row <= last; row++) {
    for (let col = 0; col <= last; col++) {
      const sum = windowSum(p, grid, row, col, size);
      if (sum > hi.sum || sum === hi.sum) {
        const d = centreDistance(row, col, size, grid);
        if (sum > hi.sum || d < hi.d) hi = { row, col, size, sum, d };
      }
      if (sum < lo.sum || sum === lo.sum) {
        const d = centreDistance(row, col, size, grid);
        if (sum < lo.sum || d > lo.d) lo = { row, col, size, sum, d };
      }
    }
  }
  return {
    highest: { row: hi.row, col: hi.col, size, sum: hi.sum },
    lowest: { row: lo.row, col: lo.col, size, sum: lo.sum },
  };
}
