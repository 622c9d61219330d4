import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kmeansStream } from '../../../main/core/compute/kmeans';
import { disposeSessions } from '../../../main/core/compute/sessions';
import {
  decodeHalf,
  encodeHalf,
  fromHalf,
  toHalf,
  VectorFile,
  VectorFileError,
} from '../../../main/core/store/vectors';
import { blobs, samePartition } from '../compute/_helpers';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tldr-vectors-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await disposeSessions();
});

function rows(n: number, d: number, seed = 1): Float32Array {
  const a = new Float32Array(n * d);
  for (let i = 0; i < a.length; i++) a[i] = Math.sin(i * 0.37 + seed) * (1 + (i % 7));
  return a;
}

describe('float16', () => {
  it('round-trips representable values and rounds to nearest even', () => {
    for (const v of [0, 1, -2, 0.5, 65504, -65504, 2 ** -14, 2 ** -24, 1.5, 1023.5, 3 * 2 ** -20]) {
      expect(fromHalf(toHalf(v))).toBe(v);
    }
    expect(fromHalf(toHalf(1024.5))).toBe(1024); // tie between 1024 and 1025 → even
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(-2)).toBe(0xc000);
    expect(toHalf(65520)).toBe(0x7c00); // overflows to +Inf
    expect(toHalf(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(toHalf(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even (up)
    expect(toHalf(2 ** -25)).toBe(0); // half the smallest subnormal → 0 (even)
    expect(toHalf(3 * 2 ** -26)).toBe(1);
    expect(Number.isNaN(fromHalf(toHalf(NaN)))).toBe(true);
    expect(fromHalf(toHalf(-Infinity))).toBe(-Infinity);
    expect(Object.is(fromHalf(toHalf(-0)), -0)).toBe(true);
  });

  it('keeps relative error under 2^-11 in the normal range', () => {
    const a = rows(1000, 1);
    const b = decodeHalf(encodeHalf(a));
    for (let i = 0; i < a.length; i++) {
      if (Math.abs(a[i]!) > 1e-4)
        expect(Math.abs(b[i]! - a[i]!) / Math.abs(a[i]!)).toBeLessThanOrEqual(2 ** -11);
    }
  });
});

describe('vector files', () => {
  it('round-trips float32 exactly and reads ranges and chunks', () => {
    const p = path.join(dir, 'f32.vec');
    const d = 5;
    const data = rows(103, d);
    const f = VectorFile.create(p, { dims: d, rows: 103 });
    f.writeRows(0, data);
    f.close();
    const g = VectorFile.open(p);
    expect([g.rows, g.dims, g.dtype, g.doneCount, g.complete]).toEqual([103, 5, 'float32', 103, true]);
    expect(Array.from(g.readRows(40, 3))).toEqual(Array.from(data.subarray(40 * d, 43 * d)));
    const seen: number[] = [];
    const back = new Float32Array(data.length);
    for (const c of g.chunks(20)) {
      seen.push(c.count);
      back.set(c.data, c.start * d);
    }
    expect(seen).toEqual([20, 20, 20, 20, 20, 3]);
    expect(Array.from(back)).toEqual(Array.from(data));
    expect(Array.from(g.readAll())).toEqual(Array.from(data));
    expect(() => g.readRows(100, 4)).toThrow(VectorFileError);
    expect(() => g.writeRows(0, data.subarray(0, d))).toThrow(/read-only/);
    g.close();
  });

  it('round-trips float16 within half precision at half the size', () => {
    const p16 = path.join(dir, 'f16.vec');
    const d = 64;
    const data = rows(50, d, 3);
    const f = VectorFile.create(p16, { dims: d, dtype: 'float16', rows: 50 });
    f.writeRows(0, data);
    f.close();
    const g = VectorFile.open(p16);
    expect(g.dtype).toBe('float16');
    const back = g.readRows(0, 50);
    for (let i = 0; i < data.length; i++) expect(back[i]).toBe(fromHalf(toHalf(data[i]!)));
    expect(statSync(p16).size).toBe(4096 + 50 * d * 2 + Math.ceil(50 / 8));
    g.close();
  });

  it('reads a whole float16 file in chunks, equal to one readRows', () => {
    // 4,500 × 256 values: more than one 1 Mi-value chunk of readAll.
    const p = path.join(dir, 'big16.vec');
    const d = 256;
    const f = VectorFile.create(p, { dims: d, dtype: 'float16', rows: 4500 });
    f.writeRows(0, rows(4500, d, 9));
    f.close();
    const g = VectorFile.open(p);
    expect(Array.from(g.readAll())).toEqual(Array.from(g.readRows(0, 4500)));
    g.close();
  });

  it('keeps resume bookkeeping: done rows survive a reopen, undone ranges are listed', () => {
    const p = path.join(dir, 'resume.vec');
    const d = 3;
    const f = VectorFile.create(p, { dims: d, rows: 40 });
    f.writeRows(0, rows(10, d));
    f.writeRows(20, rows(5, d));
    f.flush();
    f.writeRows(30, rows(2, d)); // not flushed: lost by the "crash" below
    expect(f.doneCount).toBe(17);
    // simulate a crash: reopen without close() (the fd of f is simply abandoned)
    const g = VectorFile.open(p, { writable: true });
    expect(g.doneCount).toBe(15);
    expect(g.isDone(9)).toBe(true);
    expect(g.isDone(10)).toBe(false);
    expect(g.undoneRanges()).toEqual([
      [10, 20],
      [25, 40],
    ]);
    expect(g.nextUndone(0)).toBe(10);
    expect(g.nextUndone(21)).toBe(25);
    // the job resumes: only undone rows are computed
    for (const [s, e] of g.undoneRanges()) g.writeRows(s, rows(e - s, d, s));
    g.close();
    const h = VectorFile.open(p);
    expect(h.complete).toBe(true);
    expect(h.undoneRanges()).toEqual([]);
    expect(Array.from(h.readRows(0, 10))).toEqual(Array.from(rows(10, d)));
    h.close();
  });

  it('appends past the capacity (the bitmap moves, the data does not)', () => {
    const p = path.join(dir, 'append.vec');
    const d = 4;
    const f = VectorFile.create(p, { dims: d });
    const all: number[] = [];
    for (let b = 0; b < 30; b++) {
      const chunk = rows(100, d, b);
      expect(f.appendRows(chunk)).toBe(b * 100);
      all.push(...chunk);
    }
    f.ensureRows(3010); // ten addressable rows not written yet
    f.close();
    const g = VectorFile.open(p);
    expect(g.rows).toBe(3010);
    expect(g.doneCount).toBe(3000);
    expect(g.undoneRanges()).toEqual([[3000, 3010]]);
    expect(Array.from(g.readRows(0, 3000))).toEqual(all);
    g.close();
  });

  it('refuses foreign files and existing paths', () => {
    const p = path.join(dir, 'junk.vec');
    writeFileSync(p, 'not a vector file at all, just text'.repeat(4));
    expect(() => VectorFile.open(p)).toThrow(/not a vector file/);
    expect(() => VectorFile.create(p, { dims: 2 })).toThrow(/exists/);
    VectorFile.create(p, { dims: 2, overwrite: true }).close();
  });

  it('feeds streaming k-means as a row source', async () => {
    const p = path.join(dir, 'km.vec');
    const { x, label } = blobs(2000, 8, 4, 3);
    const f = VectorFile.create(p, { dims: 8, rows: 2000 });
    f.writeRows(0, x.data);
    f.close();
    const g = VectorFile.open(p);
    const full = await kmeansStream(g, { k: 4, iterations: 10, seed: 1, metric: 'l2' });
    expect(samePartition(full.assignment, label)).toBe(true);
    const mb = await kmeansStream(g, {
      k: 4,
      iterations: 3,
      seed: 1,
      metric: 'l2',
      miniBatch: 256,
      blockRows: 32,
    });
    expect(samePartition(mb.assignment, label)).toBe(true);
    g.close();
  });
});
