import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NpyFile } from '../../../main/core/features/import/npy-file';
import { NpyFormatError, type NpyDtype } from '../../../main/core/features/import/npy-header';
import { npyBytes, NpyWriter, writeNpy } from '../../../main/core/features/import/npy-write';
import { listNpzArrays, openNpzArray } from '../../../main/core/features/import/npz-file';
import { rawNpy, vectors, zipBytes } from './_fixtures';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tldr-npy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => path.join(dir, name);

describe('.npy', () => {
  const dtypes: NpyDtype[] = ['<f2', '<f4', '<f8'];
  for (const version of [1, 2, 3] as const) {
    for (const dtype of dtypes) {
      it(`reads ${dtype} with a v${version} header, whole and by row ranges`, () => {
        const rows = 37;
        const cols = 5;
        const data = vectors(rows, cols, version);
        const f = file(`a-${version}-${dtype.slice(1)}.npy`);
        writeNpy(f, data, rows, cols, dtype, version);
        const a = NpyFile.open(f);
        try {
          expect([a.rows, a.cols, a.dtype]).toEqual([rows, cols, dtype]);
          expect(a.dataStart % 64).toBe(0);
          expect(Array.from(a.readSync(0, rows))).toEqual(Array.from(data));
          const out = new Float32Array(1000);
          const part = a.readSync(10, 7, out);
          expect(part.buffer).toBe(out.buffer); // reused
          expect(Array.from(part)).toEqual(Array.from(data.subarray(10 * cols, 17 * cols)));
          expect(a.readSync(rows, 0).length).toBe(0);
          expect(() => a.readSync(30, 8)).toThrow(/outside \[0, 37\)/);
        } finally {
          a.close();
        }
      });
    }
  }

  it('streams rows in with NpyWriter', () => {
    const w = new NpyWriter(file('w.npy'), 6, 3, '<f2');
    w.append(vectors(4, 3));
    w.append(vectors(2, 3, 9));
    w.close();
    const a = NpyFile.open(file('w.npy'));
    expect(Array.from(a.readSync(4, 2))).toEqual(Array.from(vectors(2, 3, 9)));
    a.close();
  });

  const bad: [string, Buffer, RegExp][] = [
    [
      'int64',
      rawNpy("{'descr': '<i8', 'fortran_order': False, 'shape': (2, 2), }"),
      /dtype int64 \('<i8'\) is not supported/,
    ],
    ['uint8', rawNpy("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2), }"), /dtype uint8/],
    [
      'big-endian',
      rawNpy("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 2), }"),
      /big-endian float32/,
    ],
    [
      'fortran',
      rawNpy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }"),
      /Fortran \(column-major\) order/,
    ],
    [
      '1-D',
      rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }"),
      /shape \(4\) is 1-D; embeddings must be a 2-D/,
    ],
    ['3-D', rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2, 2), }"), /is 3-D/],
    [
      'structured',
      rawNpy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }"),
      /structured array/,
    ],
    ['not npy', Buffer.from('PK\x03\x04 not an array at all'), /not a NumPy .npy array/],
    [
      'version 4',
      Buffer.concat([Buffer.from('\x93NUMPY\x04\x00', 'latin1'), Buffer.alloc(8)]),
      /version 4.0 is not supported/,
    ],
    [
      'truncated',
      rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }", new Uint8Array(20)),
      /truncated: shape \(3, 2\) <f4 needs/,
    ],
  ];
  for (const [name, bytes, message] of bad) {
    it(`refuses ${name} with a clear message`, () => {
      const f = file(`bad-${name}.npy`);
      writeFileSync(f, bytes);
      expect(() => NpyFile.open(f)).toThrow(message);
    });
  }

  it('reports the file in messages', () => {
    const f = file('named.npy');
    writeFileSync(f, rawNpy("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }"));
    expect(() => NpyFile.open(f)).toThrow(NpyFormatError);
    expect(() => NpyFile.open(f)).toThrow(f);
  });
});

describe('.npz', () => {
  const img = vectors(50, 8, 1);
  const txt = vectors(50, 8, 2);
  const members = (deflate: boolean) => [
    { name: 'l14_img.npy', data: npyBytes(img, 50, 8, '<f2'), deflate },
    { name: 'l14_txt.npy', data: npyBytes(txt, 50, 8, '<f4'), deflate },
    { name: 'b32_img.npy', data: npyBytes(img.subarray(0, 50 * 4), 50, 4, '<f8'), deflate },
  ];

  for (const [label, deflate, zip64] of [
    ['stored', false, false],
    ['deflated', true, false],
    ['stored ZIP64', false, true],
    ['deflated ZIP64', true, true],
  ] as const) {
    it(`reads ${label} members`, async () => {
      const f = file(`${label.replace(' ', '-')}.npz`);
      writeFileSync(f, zipBytes(members(deflate), { zip64 }));
      expect(listNpzArrays(f)).toEqual(['l14_img', 'l14_txt', 'b32_img']);
      const a = await openNpzArray(f, 'l14_img');
      const t = await openNpzArray(f, 'l14_txt.npy');
      const b = await openNpzArray(f, 'b32_img');
      try {
        expect([a.rows, a.cols, a.dtype, t.dtype, b.dtype, b.cols]).toEqual([50, 8, '<f2', '<f4', '<f8', 4]);
        expect(Array.from(await a.read(0, 20))).toEqual(Array.from(img.subarray(0, 160)));
        expect(Array.from(await a.read(20, 30))).toEqual(Array.from(img.subarray(160)));
        // Backwards (a resumed import): a deflated member restarts its stream.
        expect(Array.from(await a.read(5, 3))).toEqual(Array.from(img.subarray(40, 64)));
        expect(Array.from(await t.read(40, 10))).toEqual(Array.from(txt.subarray(320)));
        expect(Array.from(await b.read(0, 50))).toEqual(Array.from(img.subarray(0, 200)));
      } finally {
        a.close();
        t.close();
        b.close();
      }
    });
  }

  it('names the arrays it has when one is missing', async () => {
    const f = file('m.npz');
    writeFileSync(f, zipBytes(members(false)));
    await expect(openNpzArray(f, 'l14_text')).rejects.toThrow(
      /has no array "l14_text" \(it has: l14_img, l14_txt, b32_img\)/,
    );
  });

  it('refuses a file that is not a zip', async () => {
    const f = file('not.npz');
    writeFileSync(f, Buffer.alloc(100, 7));
    await expect(openNpzArray(f, 'x')).rejects.toThrow(/not a zip \(.npz\) file/);
  });

  it('refuses a deflated member whose dtype is wrong, with the member named', async () => {
    const f = file('int.npz');
    const data = rawNpy("{'descr': '<i8', 'fortran_order': False, 'shape': (1, 1), }", new Uint8Array(8));
    writeFileSync(f, zipBytes([{ name: 'ids.npy', data, deflate: true }]));
    await expect(openNpzArray(f, 'ids')).rejects.toThrow(/int\.npz:ids: dtype int64/);
  });
});
