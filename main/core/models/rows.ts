// Row helpers for embeddings held as flat [rows × dim] float32 data.

/** Splits flat row-major data into `rows` copies of length `dim`. */
export function splitRows(data: Float32Array, rows: number, dim: number): Float32Array[] {
  return Array.from({ length: rows }, (_, r) => data.slice(r * dim, (r + 1) * dim));
}

/** L2-normalises a vector in place (a zero vector stays zero). */
export function normalizeInPlace(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let i = 0; i < v.length; i++) v[i]! *= inv;
  return v;
}

/** L2-normalises each `dim`-long row of flat data in place. */
export function normalizeRowsInPlace(data: Float32Array, dim: number): Float32Array {
  for (let o = 0; o < data.length; o += dim) normalizeInPlace(data.subarray(o, o + dim));
  return data;
}
