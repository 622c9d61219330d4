// Writes a float32 matrix as a NumPy .npy file (format 1.0) for the Python baselines.
import { closeSync, openSync, writeSync } from 'node:fs';

export function writeNpyF32(path: string, data: Float32Array, rows: number, cols: number): void {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += ' '.repeat(pad % 64) + '\n';
  const pre = Buffer.alloc(10);
  Buffer.from('\x93NUMPY', 'latin1').copy(pre, 0);
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, pre);
    writeSync(fd, Buffer.from(header, 'latin1'));
    const bytes = new Uint8Array(data.buffer, data.byteOffset, rows * cols * 4);
    for (let off = 0; off < bytes.length; off += 1 << 26)
      writeSync(fd, bytes, off, Math.min(1 << 26, bytes.length - off));
  } finally {
    closeSync(fd);
  }
}
