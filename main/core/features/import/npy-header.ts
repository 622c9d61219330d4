// The NumPy .npy header (format versions 1.0, 2.0 and 3.0), read and written.
//
//   6 bytes  magic "\x93NUMPY"
//   2 bytes  major, minor version
//   2 bytes  header length (v1) | 4 bytes (v2, v3), little-endian
//   header   a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (r, c), }
//            padded with spaces and a final '\n' so the data starts on a 64-byte boundary;
//            latin-1 in v1/v2, UTF-8 in v3.
//
// Only what embeddings come as is accepted: little-endian float16/32/64, C order, 2-D.
export type NpyDtype = '<f2' | '<f4' | '<f8';

export const NPY_ITEM_BYTES: Record<NpyDtype, number> = { '<f2': 2, '<f4': 4, '<f8': 8 };

export interface NpyHeader {
  version: 1 | 2 | 3;
  dtype: NpyDtype;
  rows: number;
  cols: number;
  /** Bytes from the start of the array (the magic) to its first data byte. */
  dataOffset: number;
}

export class NpyFormatError extends Error {}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** Bytes needed to know a header's full length. */
export const NPY_PREFIX_BYTES = 12;

/** Total header bytes (magic … padding) from the first bytes of an array; `what` names it. */
export function npyHeaderLength(prefix: Uint8Array, what: string): number {
  if (prefix.length < 10 || MAGIC.some((b, i) => prefix[i] !== b)) {
    throw new NpyFormatError(`${what} is not a NumPy .npy array (no \\x93NUMPY magic)`);
  }
  const major = prefix[6]!;
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  if (major === 1) return 10 + view.getUint16(8, true);
  if (major === 2 || major === 3) {
    if (prefix.length < 12) throw new NpyFormatError(`${what}: header cut short`);
    return 12 + view.getUint32(8, true);
  }
  throw new NpyFormatError(
    `${what}: .npy format version ${major}.${prefix[7]} is not supported (1.0–3.0 are)`,
  );
}

const DTYPE_NAMES: Record<string, string> = {
  f2: 'float16',
  f4: 'float32',
  f8: 'float64',
  i1: 'int8',
  i2: 'int16',
  i4: 'int32',
  i8: 'int64',
  u1: 'uint8',
  u2: 'uint16',
  u4: 'uint32',
  u8: 'uint64',
  b1: 'bool',
};

function describeDtype(descr: string): string {
  const name = DTYPE_NAMES[descr.slice(1)];
  const order = descr[0] === '>' ? 'big-endian ' : '';
  return name ? `${order}${name} ('${descr}')` : `'${descr}'`;
}

/** Parses a whole header (as many bytes as npyHeaderLength said). */
export function parseNpyHeader(bytes: Uint8Array, what: string): NpyHeader {
  const total = npyHeaderLength(bytes, what);
  if (bytes.length < total)
    throw new NpyFormatError(`${what}: header cut short (${bytes.length} of ${total} bytes)`);
  const major = bytes[6] as 1 | 2 | 3;
  const start = major === 1 ? 10 : 12;
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, total));
  const q = `['"]`;
  const descrList = new RegExp(`${q}descr${q}\\s*:\\s*\\[`).test(text);
  if (descrList)
    throw new NpyFormatError(`${what}: a structured array (record dtype) is not an embedding matrix`);
  const descr = new RegExp(`${q}descr${q}\\s*:\\s*${q}([^'"]*)${q}`).exec(text)?.[1];
  const fortran = new RegExp(`${q}fortran_order${q}\\s*:\\s*(True|False)`).exec(text)?.[1];
  const shapeText = new RegExp(`${q}shape${q}\\s*:\\s*\\(([^)]*)\\)`).exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new NpyFormatError(`${what}: unreadable .npy header ${JSON.stringify(text.trim())}`);
  }
  if (descr !== '<f2' && descr !== '<f4' && descr !== '<f8') {
    throw new NpyFormatError(
      `${what}: dtype ${describeDtype(descr)} is not supported: embeddings must be little-endian float16, float32 or float64 ('<f2', '<f4', '<f8')`,
    );
  }
  if (fortran === 'True') {
    throw new NpyFormatError(
      `${what}: the array is in Fortran (column-major) order; save it in C order (numpy.ascontiguousarray) and try again`,
    );
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => Number(s.replace(/L$/, '')));
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new NpyFormatError(`${what}: bad shape (${shapeText})`);
  }
  if (shape.length !== 2) {
    throw new NpyFormatError(
      `${what}: shape (${shape.join(', ')}) is ${shape.length}-D; embeddings must be a 2-D matrix (rows, dims)`,
    );
  }
  return { version: major, dtype: descr, rows: shape[0]!, cols: shape[1]!, dataOffset: total };
}

/** Header bytes for a C-order 2-D array, padded so the data starts on a 64-byte boundary. */
export function formatNpyHeader(dtype: NpyDtype, rows: number, cols: number, version: 1 | 2 | 3 = 1): Buffer {
  const dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const pre = version === 1 ? 10 : 12;
  const unpadded = pre + dict.length + 1;
  const padded = Math.ceil(unpadded / 64) * 64;
  const header = dict + ' '.repeat(padded - unpadded) + '\n';
  const out = Buffer.alloc(padded);
  Buffer.from(MAGIC).copy(out, 0);
  out[6] = version;
  out[7] = 0;
  if (version === 1) out.writeUInt16LE(header.length, 8);
  else out.writeUInt32LE(header.length, 8);
  out.write(header, pre, version === 3 ? 'utf8' : 'latin1');
  return out;
}
