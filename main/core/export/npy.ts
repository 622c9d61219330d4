// DataComp's subset file: a NumPy .npy of dtype `u8,u8` (a structured array of two unsigned
// 64-bit integers per uid: the high and the low half of the 128-bit hex uid), shape (n,),
// in lexicographic order. This is what DataComp's resharder loads.

const HEX_UID = /^[0-9a-f]{32}$/;

export function isHexUid(uid: string): boolean {
  return HEX_UID.test(uid);
}

/** The 16 bytes of one uid as DataComp stores it: f0 = first 16 hex digits, f1 = last 16, both little-endian. */
export function uidRecord(uid: string): Buffer {
  if (!HEX_UID.test(uid)) throw new RangeError(`uid "${uid}" is not 32 lower-case hex digits`);
  const b = Buffer.alloc(16);
  b.writeBigUInt64LE(BigInt(`0x${uid.slice(0, 16)}`), 0);
  b.writeBigUInt64LE(BigInt(`0x${uid.slice(16)}`), 8);
  return b;
}

/** NPY v1.0 header for a 1-d `u8,u8` array of n records (padded so the data starts at a multiple of 64). */
export function npyUidHeader(n: number): Buffer {
  const dict = `{'descr': [('f0', '<u8'), ('f1', '<u8')], 'fortran_order': False, 'shape': (${n},), }`;
  const preamble = 10; // magic (6) + version (2) + header length (2)
  let len = dict.length + 1; // + '\n'
  len += (64 - ((preamble + len) % 64)) % 64;
  const header = Buffer.alloc(preamble + len, 0x20);
  header.write('\x93NUMPY', 0, 'latin1');
  header[6] = 1;
  header[7] = 0;
  header.writeUInt16LE(len, 8);
  header.write(dict, preamble, 'latin1');
  header[preamble + len - 1] = 0x0a;
  return header;
}
