import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../../main/core/compute/types';
import { GRID, PATCH_DIMS } from '../../../main/core/features/builtin/descriptors';
import { colourLayout, LAYOUT_DIMS, LAYOUT_GRID } from '../../../main/core/features/builtin/layout';
import { layoutEmbedding } from '../../../main/core/methods/layout-embedding';
import { mulberry32 } from '../../../main/core/methods/rng';

const G = LAYOUT_GRID;

/** A picture: a vertical two-tone backdrop (horizon at row h) and a 2 × 2-cell blob at (r, c). */
function picture(rng: () => number, o: { sky: number[]; ground: number[]; h: number; r: number; c: number }) {
  const x = new Float32Array(LAYOUT_DIMS);
  for (let r = 0; r < G; r++)
    for (let c = 0; c < G; c++)
      for (let k = 0; k < 3; k++) {
        let v = (r < o.h ? o.sky[k]! : o.ground[k]!) + 0.01 * (rng() - 0.5);
        if (r >= o.r && r < o.r + 2 && c >= o.c && c < o.c + 2) v = k === 2 ? 0.1 : 0.95; // yellow
        x[(r * G + c) * 3 + k] = v;
      }
  return x;
}

function cos(m: Matrix, a: number, b: number): number {
  let s = 0;
  for (let d = 0; d < m.cols; d++) s += m.data[a * m.cols + d]! * m.data[b * m.cols + d]!;
  return s;
}

describe('colour layout', () => {
  it('is the mean colour of each cell of 2 × 2 patches', () => {
    const patches = new Float32Array(GRID * GRID * PATCH_DIMS);
    for (let p = 0; p < GRID * GRID; p++) patches[p * PATCH_DIMS] = p % 2; // red: 0, 1, 0, 1 …
    patches[PATCH_DIMS + 1] = 0.8; // green of patch (0, 1)
    const l = colourLayout(patches);
    expect(l.length).toBe(LAYOUT_DIMS);
    expect(l[0]).toBeCloseTo(0.5); // two of four patches are red
    expect(l[1]).toBeCloseTo(0.2);
    expect(l[2]).toBe(0);
    expect(() => colourLayout(new Float32Array(10))).toThrow(RangeError);
  });
});

describe('layout embedding', () => {
  const rng = mulberry32(3);
  const sky = [0.3, 0.55, 0.85];
  const grass = [0.35, 0.65, 0.3];
  const rows: Float32Array[] = [];
  // 0: a blob in the sky; 1: the same picture, re-encoded (noise); 2: the blob elsewhere;
  // 3: the blob at the same place over another backdrop; then 60 assorted others.
  rows.push(picture(rng, { sky, ground: grass, h: 5, r: 1, c: 1 }));
  rows.push(rows[0]!.map((v) => v + 0.01 * (rng() - 0.5)));
  rows.push(picture(rng, { sky, ground: grass, h: 5, r: 1, c: 5 }));
  rows.push(picture(rng, { sky: [0.05, 0.05, 0.2], ground: [0.1, 0.2, 0.1], h: 6, r: 1, c: 1 }));
  for (let i = 0; i < 60; i++) {
    const col = () => [rng(), rng(), rng()];
    rows.push(
      picture(rng, {
        sky: col(),
        ground: col(),
        h: 2 + Math.floor(rng() * 5),
        r: Math.floor(rng() * 6),
        c: Math.floor(rng() * 6),
      }),
    );
  }
  rows.push(new Float32Array(LAYOUT_DIMS)); // a pair without features
  const n = rows.length;
  const layout: Matrix = { data: new Float32Array(n * LAYOUT_DIMS), rows: n, cols: LAYOUT_DIMS };
  rows.forEach((r, i) => layout.data.set(r, i * LAYOUT_DIMS));

  it('scores a copy above the same thing elsewhere or over another backdrop', () => {
    const e = layoutEmbedding(layout);
    expect(e.rows).toBe(n);
    expect(e.cols).toBe(G * G * 3 + G * 3);
    expect(cos(e, 0, 0)).toBeCloseTo(1, 5);
    expect(cos(e, 0, 1)).toBeGreaterThan(0.99);
    expect(cos(e, 0, 2)).toBeLessThan(cos(e, 0, 1) - 0.3);
    expect(cos(e, 0, 3)).toBeLessThan(cos(e, 0, 1) - 0.05);
    // The pair without features stays a zero row (never a duplicate of anything).
    expect(cos(e, n - 1, n - 1)).toBe(0);
  });

  it('appends the image descriptor part and leaves ineligible rows at zero', () => {
    const image: Matrix = { data: new Float32Array(n * 4), rows: n, cols: 4 };
    for (let i = 0; i < n; i++) image.data[i * 4 + (i % 4)] = 1;
    const eligible = new Uint8Array(n).fill(1);
    eligible[2] = 0;
    const e = layoutEmbedding(layout, { image, eligible });
    expect(e.cols).toBe(G * G * 3 + G * 3 + 4);
    expect(cos(e, 2, 2)).toBe(0);
    expect(cos(e, 0, 0)).toBeCloseTo(1, 5);
    expect(() => layoutEmbedding({ data: new Float32Array(10), rows: 1, cols: 10 })).toThrow(RangeError);
  });
});
