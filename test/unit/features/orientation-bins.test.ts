// The builtin descriptors bin gradient orientations without atan2; other results are
// calibrated on the atan2 bins, so the fast decision must give exactly those bins, also
// on ties (0°, 45°, 90°, 135°, common in flat and grey areas) and next to the boundaries.
import { describe, expect, it } from 'vitest';
import {
  atan2Bin,
  describeImage,
  fastOrientationBin,
  orientationBin,
  INPUT_SIZE,
} from '../../../main/core/features/builtin/descriptors';
import { createRng } from '../../../main/core/compute/prng';

/** The gradient of the descriptors: differences of float32 luma values of 8-bit RGB. */
const luma = (r: number, g: number, b: number) => Math.fround(0.299 * r + 0.587 * g + 0.114 * b);

function expectSameBins(gradients: [number, number][]): void {
  const bad = gradients.filter(
    ([gx, gy]) =>
      fastOrientationBin(gx, gy) !== atan2Bin(gx, gy) || orientationBin(gx, gy) !== atan2Bin(gx, gy),
  );
  expect(bad.slice(0, 5)).toEqual([]);
}

describe('orientation bins', () => {
  it('equal the atan2 bins on luma differences of random colours', () => {
    const rng = createRng(5);
    const byte = () => Math.floor(rng.next() * 256);
    const px = () => luma(byte(), byte(), byte());
    const g: [number, number][] = [];
    for (let i = 0; i < 200_000; i++) g.push([px() - px(), px() - px()]);
    expectSameBins(g.filter(([x, y]) => x !== 0 || y !== 0));
  });

  it('equal the atan2 bins on ties and next to every bin boundary', () => {
    const g: [number, number][] = [];
    for (const m of [1e-6, 0.0625, 1, 3.3, 255]) {
      for (const [sx, sy] of [
        [1, 1],
        [1, -1],
        [-1, 1],
        [-1, -1],
      ]) {
        g.push([sx! * m, 0], [0, sy! * m], [sx! * m, sy! * m]);
        for (let k = 1; k < 8; k++) {
          const phi = (k * Math.PI) / 8;
          for (const eps of [0, 1e-15, -1e-15, 1e-12, -1e-12, 1e-9, -1e-9, 1e-6, -1e-6]) {
            g.push([sx! * m * Math.cos(phi + eps), sy! * m * Math.sin(phi + eps)]);
          }
        }
      }
    }
    expectSameBins(g);
  });

  it('of a grey ramp at 45° fall in the 45° tie bin', () => {
    // Grey value x + y: every inner gradient has gx = gy exactly.
    const rgb = new Uint8Array(INPUT_SIZE * INPUT_SIZE * 3);
    for (let y = 0; y < INPUT_SIZE; y++) {
      for (let x = 0; x < INPUT_SIZE; x++)
        rgb.fill((x + y) & 0x7f, (y * INPUT_SIZE + x) * 3, (y * INPUT_SIZE + x + 1) * 3);
    }
    const { patches } = describeImage(rgb);
    // An inner patch away from the wrap of the ramp: all its weight in one bin, atan2's.
    const p = 1 * 16 + 1;
    const bins = Array.from(patches.subarray(p * 16 + 6, p * 16 + 14));
    expect(bins[atan2Bin(1, 1)]).toBeCloseTo(1, 6);
  });
});
