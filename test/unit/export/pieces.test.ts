// The small parts exports are built from: DataComp's npy, TSV cells, BLIP's word count,
// image signatures, folder names, the read-ahead helper, the chart helpers.
import { describe, expect, it } from 'vitest';
import { blipWordCount } from '../../../main/core/export/captions';
import { isHexUid, npyUidHeader, uidRecord } from '../../../main/core/export/npy';
import { prefetchOrdered } from '../../../main/core/export/prefetch';
import { fmt } from '../../../main/core/export/report/html';
import { logTicks, niceTicks } from '../../../main/core/export/report/svg';
import { sniffImageExt } from '../../../main/core/export/image-source';
import { defaultExportDir, folderTimestamp } from '../../../main/core/export/staging';
import { tsvExact, tsvField } from '../../../main/core/export/tsv';
import { jpeg, png, webp } from '../../fixtures/dataset/images';

describe('DataComp npy', () => {
  it('writes the u8,u8 header numpy expects, data aligned to 64 bytes', () => {
    for (const n of [0, 1, 7, 123_456_789]) {
      const h = npyUidHeader(n);
      expect(h.subarray(0, 6).toString('latin1')).toBe('\x93NUMPY');
      expect([h[6], h[7]]).toEqual([1, 0]);
      expect(h.length % 64).toBe(0);
      expect(h.readUInt16LE(8)).toBe(h.length - 10);
      expect(h.subarray(10).toString('latin1')).toMatch(
        new RegExp(
          `^\\{'descr': \\[\\('f0', '<u8'\\), \\('f1', '<u8'\\)\\], 'fortran_order': False, 'shape': \\(${n},\\), \\} *\\n$`,
        ),
      );
    }
  });

  it('stores a uid as its high and low 64 bits, little-endian (DataComp: int(uid[:16], 16), int(uid[16:32], 16))', () => {
    const uid = '139e4a9b22a614771f06c700a8ebe150';
    const r = uidRecord(uid);
    expect(r.readBigUInt64LE(0)).toBe(0x139e4a9b22a61477n);
    expect(r.readBigUInt64LE(8)).toBe(0x1f06c700a8ebe150n);
    expect(isHexUid(uid)).toBe(true);
    expect(isHexUid('ABC')).toBe(false);
    expect(() => uidRecord('xyz')).toThrow(/not 32 lower-case hex/);
  });
});

describe('TSV cells', () => {
  it('flattens tabs and line breaks in captions and quotes a leading quote as pandas/pyarrow expect', () => {
    expect(tsvField('a\tb\nc\r\nd')).toBe('a b c d');
    expect(tsvField('"Hello" she said')).toBe('"""Hello"" she said"');
    expect(tsvField('he said "hi"')).toBe('he said "hi"');
  });
  it('refuses paths and URLs that cannot be written unchanged', () => {
    expect(tsvExact('/data/a b.jpg')).toBe('/data/a b.jpg');
    expect(tsvExact('/data/a\tb.jpg')).toBeUndefined();
    expect(tsvExact('"x.jpg')).toBeUndefined();
  });
});

describe("BLIP's 30-word count", () => {
  it('counts words the way pre_caption does', () => {
    expect(blipWordCount('A dog.')).toBe(2);
    expect(blipWordCount('a  dog;  on (the) beach!')).toBe(5);
    expect(blipWordCount(`${'word '.repeat(31)}`)).toBe(31);
    expect(blipWordCount('dog ; a red ball')).toBe(4);
  });
});

describe('image signatures', () => {
  it('names the copied bytes by what they are', async () => {
    expect(sniffImageExt(await jpeg(4, 4))).toBe('jpg');
    expect(sniffImageExt(await png(4, 4))).toBe('png');
    expect(sniffImageExt(await webp(4, 4))).toBe('webp');
    expect(sniffImageExt(Buffer.from('GIF89a...'))).toBe('gif');
    expect(sniffImageExt(Buffer.from('not an image'))).toBeUndefined();
  });
});

describe('export folder names', () => {
  it('are sortable, unique to the millisecond and valid on every file system', () => {
    const d = new Date('2025-01-31T12:34:56.789Z');
    expect(folderTimestamp(d)).toBe('20250131-123456-789');
    expect(defaultExportDir('/ws', 3, 7, 'webdataset', d)).toBe(
      '/ws/exports/3-7-webdataset-20250131-123456-789',
    );
  });
});

describe('prefetchOrdered', () => {
  it('keeps order with reads in flight', async () => {
    const out: number[] = [];
    const delays = [30, 5, 20, 1, 10];
    for await (const { result } of prefetchOrdered(delays.keys(), 3, async (i) => {
      await new Promise((r) => setTimeout(r, delays[i]));
      return i;
    })) {
      out.push(result);
    }
    expect(out).toEqual([0, 1, 2, 3, 4]);
  });

  it('leaves no unhandled rejection when the consumer stops early', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      for await (const { result } of prefetchOrdered([0, 1, 2, 3], 4, async (i) => {
        if (i > 0) throw new Error(`read ${i} failed`);
        return i;
      })) {
        expect(result).toBe(0);
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('chart helpers', () => {
  it('make round ticks and short numbers', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(logTicks(1, 1000)).toEqual([1, 10, 100, 1000]);
    expect(fmt(1234567)).toBe('1,234,567');
    expect(fmt(0.123456)).toBe('0.1235');
    expect(fmt(1e-7)).toBe('1e-7');
    expect(fmt(NaN)).toBe('–');
  });
});
