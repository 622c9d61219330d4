// Deterministic benchmark data: a mixture of Gaussian blobs (embedding-like: more
// blobs than clusters, unequal sizes), written row by row so large sets can stream.
import { createRng } from '../../main/core/compute/prng';

export function blobRowGenerator(
  d: number,
  blobs: number,
  seed: number,
  spread = 0.5,
): (out: Float32Array, rows: number) => void {
  const rng = createRng(seed);
  let spare: number | undefined;
  const gauss = (): number => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = rng.next();
    const r = Math.sqrt(-2 * Math.log(u));
    const a = 2 * Math.PI * rng.next();
    spare = r * Math.sin(a);
    return r * Math.cos(a);
  };
  const centers = new Float32Array(blobs * d);
  for (let i = 0; i < centers.length; i++) centers[i] = gauss();
  // Noise from a table of 65 536 normal quantiles, two draws per random word: exact
  // Box–Muller for 10⁸ values would dominate the benchmark's run time.
  const table = new Float32Array(65536);
  for (let i = 0; i < table.length; i++) table[i] = spread * inverseNormal((i + 0.5) / table.length);
  // blob weights ∝ 1..blobs shuffled: some blobs are ten times larger than others
  return (out, rows) => {
    for (let i = 0; i < rows; i++) {
      const b = Math.floor(Math.sqrt(rng.next()) * blobs);
      for (let j = 0; j < d; j += 2) {
        const r = rng.u32();
        out[i * d + j] = centers[b * d + j]! + table[r & 0xffff]!;
        if (j + 1 < d) out[i * d + j + 1] = centers[b * d + j + 1]! + table[r >>> 16]!;
      }
    }
  };
}

/** Φ⁻¹(p) by Acklam's rational approximation (relative error < 1.2e-9). */
function inverseNormal(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const e = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  const poly = (k: number[], x: number) => k.reduce((acc, v) => acc * x + v, 0);
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(e, q) * q + 1);
  }
  if (p > 1 - lo) return -inverseNormal(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}
