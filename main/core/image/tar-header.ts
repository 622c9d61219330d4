// Sanity check of the 512-byte ustar header that precedes a member's data: an index
// built from an older copy of the archive would otherwise hand back arbitrary bytes.
export const TAR_BLOCK = 512;

function parseNumeric(field: Buffer): number | undefined {
  if (field.length === 0) return undefined;
  // GNU base-256 for values that do not fit in octal.
  if ((field[0]! & 0x80) !== 0) {
    let v = field[0]! & 0x7f;
    for (let i = 1; i < field.length; i++) v = v * 256 + field[i]!;
    return v;
  }
  const text = field
    .toString('latin1')
    .replace(/[\0 ]+$/u, '')
    .replace(/^[ ]+/u, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/u.test(text)) return undefined;
  return parseInt(text, 8);
}

/** Returns why `header` does not describe a member of `size` bytes, or undefined if it does. */
export function tarHeaderProblem(header: Buffer, size: number): string | undefined {
  if (header.length !== TAR_BLOCK) return 'no tar header before the member';
  const stored = parseNumeric(header.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  if (stored === undefined || stored !== sum) return 'the bytes before the member are not a tar header';
  const declared = parseNumeric(header.subarray(124, 136));
  // A pax record may carry the real size, with 0 in the ustar field.
  if (declared !== undefined && declared !== 0 && declared !== size) {
    return `the tar header declares ${declared} bytes, the index says ${size}`;
  }
  return undefined;
}
