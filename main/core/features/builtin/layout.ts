// The builtin colour layout: the mean colour of each cell of a coarse grid, a tiny
// thumbnail stored beside the global descriptor. It is what near-duplicate search needs
// and the global descriptor lacks: the global vector pools the picture into five regions
// and a colour histogram, so two different pictures of one object on the same backdrop
// (a yellow star in a blue sky, drawn at two places) score as high as a re-encoded copy.
// The layout keeps where things are; SemDeDup's "layout" embedding is derived from it
// (methods/layout-embedding.ts). Computed from the patch descriptors, which stay as they are.
import { GRID, PATCH_DIMS } from './descriptors';

/** Cells per side: 8 × 8 cells of 2 × 2 patches (28 px of the 224-px input). */
export const LAYOUT_GRID = 8;
export const LAYOUT_DIMS = LAYOUT_GRID * LAYOUT_GRID * 3;

/** Mean RGB in [0, 1] per cell, row-major, cell (r, c) at (r·LAYOUT_GRID + c)·3. */
export function colourLayout(patches: Float32Array): Float32Array {
  if (patches.length !== GRID * GRID * PATCH_DIMS)
    throw new RangeError(
      `expected ${GRID * GRID} patches of ${PATCH_DIMS} dims, got ${patches.length} values`,
    );
  const per = GRID / LAYOUT_GRID;
  const out = new Float32Array(LAYOUT_DIMS);
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      const o = (((r / per) | 0) * LAYOUT_GRID + ((c / per) | 0)) * 3;
      const p = (r * GRID + c) * PATCH_DIMS;
      // Patch dims 0–2 are the patch's mean R, G, B over 255.
      for (let k = 0; k < 3; k++) out[o + k]! += patches[p + k]! / (per * per);
    }
  }
  return out;
}
