import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest, type IngestCheckpoint } from '../../../main/core/ingest/ingest';
import { JobCancelled } from '../../../main/core/jobs/runner';
import type { FormatReader, PairRecord, ReadItem, ReadOptions } from '../../../main/core/dataset/types';
import { openDatabase, type Db } from '../../../main/core/store/db';
import { createDataset } from '../../../main/core/store/datasets';
import { queryPairs } from '../../../main/core/store/pairs';
import { tokenize } from '../../../main/core/text/tokenize';

const WORDS = [
  'a',
  'red',
  'ball',
  'on',
  'the',
  'beach',
  'dog',
  'runs',
  'in',
  'snow',
  "it's",
  'sunny',
  '2',
  '!',
];

/** Deterministic records in `units` units; every 97th has an empty caption, every 101st reuses a key. */
function makeRecords(units: number, perUnit: number): { unit: number; record: PairRecord }[] {
  const out: { unit: number; record: PairRecord }[] = [];
  let n = 0;
  for (let u = 0; u < units; u++) {
    for (let i = 0; i < perUnit; i++, n++) {
      const words = Array.from({ length: 3 + (n % 7) }, (_, k) => WORDS[(n * 7 + k * 3) % WORDS.length]!);
      const key = n % 101 === 100 ? `k${n - 50}` : `k${n}`;
      out.push({
        unit: u,
        record: {
          key,
          imageKey: key,
          image: { kind: 'file', path: `images/${key}.jpg` },
          caption: n % 97 === 96 ? '' : words.join(' '),
          width: 100 + (n % 50),
          height: 80,
        },
      });
    }
  }
  return out;
}

function fakeReader(items: { unit: number; record: PairRecord }[], honourStartUnit = true): FormatReader {
  return {
    format: 'table',
    async estimateTotal() {
      return items.length;
    },
    async *read(opts: ReadOptions): AsyncIterable<ReadItem> {
      for (const it of items) {
        if (honourStartUnit && it.unit < (opts.startUnit ?? 0)) continue;
        yield it;
      }
    },
  };
}

function dump(db: Db, datasetId: number) {
  return {
    pairs: db
      .prepare(
        `SELECT seq, key, caption, status, error_kind, width, unit FROM pairs WHERE dataset_id = ? ORDER BY seq`,
      )
      .all(datasetId),
    words: db
      .prepare(`SELECT word, count FROM word_counts WHERE dataset_id = ? ORDER BY word`)
      .all(datasetId),
  };
}

describe('ingest', () => {
  let db: Db;
  let datasetId: number;
  beforeEach(() => {
    db = openDatabase(':memory:');
    datasetId = createDataset(db, { name: 'x', root: '/tmp/x', format: 'table' }).id;
  });
  afterEach(() => db.close());

  it('stores every record with a dense seq, flags empty captions and duplicate keys, counts words', async () => {
    const items = makeRecords(5, 400);
    let cp: IngestCheckpoint | undefined;
    const r = await ingest({
      db,
      datasetId,
      root: '/tmp/x',
      reader: fakeReader(items),
      saveCheckpoint: (c) => (cp = c),
      batchSize: 128,
    });
    expect(r.pairs).toBe(items.length);
    expect(cp?.nextSeq).toBe(items.length);
    const { pairs, words } = dump(db, datasetId);
    expect((pairs as { seq: number }[]).map((p) => p.seq)).toEqual(items.map((_, i) => i));
    const empties = items.filter((i) => i.record.caption === '').length;
    const dups = items.filter((_, n) => n % 101 === 100).length;
    const byKind = db
      .prepare(`SELECT error_kind AS k, COUNT(*) AS n FROM pairs WHERE status='error' GROUP BY error_kind`)
      .all() as { k: string; n: number }[];
    expect(Object.fromEntries(byKind.map((b) => [b.k, b.n]))).toEqual({
      empty_caption: empties,
      duplicate_key: dups,
    });
    // Word counts equal a direct count over the ok captions.
    const expected = new Map<string, number>();
    const okSeqs = new Set(
      (pairs as { seq: number; status: string }[]).filter((p) => p.status === 'ok').map((p) => p.seq),
    );
    items.forEach((it, seq) => {
      if (!okSeqs.has(seq)) return;
      for (const w of tokenize(it.record.caption!)) expected.set(w, (expected.get(w) ?? 0) + 1);
    });
    expect(
      Object.fromEntries((words as { word: string; count: number }[]).map((w) => [w.word, w.count])),
    ).toEqual(Object.fromEntries(expected));
  });

  it('pages unfiltered queries by seq range exactly as COUNT and OFFSET would, mid-way and at the end', async () => {
    const items = makeRecords(4, 300);
    const reference = (offset: number, limit: number) => ({
      total: (
        db.prepare(`SELECT COUNT(*) AS n FROM pairs WHERE dataset_id = ?`).get(datasetId) as { n: number }
      ).n,
      keys: (
        db
          .prepare(`SELECT key FROM pairs WHERE dataset_id = ? ORDER BY seq LIMIT ? OFFSET ?`)
          .all(datasetId, limit, offset) as { key: string }[]
      ).map((r) => r.key),
    });
    const check = () => {
      for (const [offset, limit] of [
        [0, 50],
        [417, 100],
        [1150, 100],
        [5000, 10],
      ] as const) {
        const q = queryPairs(db, datasetId, { offset, limit });
        expect({ total: q.total, keys: q.items.map((p) => p.key) }).toEqual(reference(offset, limit));
      }
    };
    check(); // empty
    let cp: IngestCheckpoint | undefined;
    const ac = new AbortController();
    await expect(
      ingest({
        db,
        datasetId,
        root: '/tmp/x',
        reader: fakeReader(items),
        saveCheckpoint: (c) => (cp = c),
        batchSize: 100,
        signal: ac.signal,
        afterBatch: (seq) => {
          if (seq >= 450) ac.abort();
        },
      }),
    ).rejects.toBeInstanceOf(JobCancelled);
    check(); // a cancelled index: what it committed
    await ingest({
      db,
      datasetId,
      root: '/tmp/x',
      reader: fakeReader(items),
      checkpoint: cp,
      saveCheckpoint: () => {},
      batchSize: 100,
    });
    check();
    // Duplicate keys are stored under a new key, not skipped: no hole in the seqs.
    expect(
      queryPairs(db, datasetId, { offset: 0, limit: 1, errorKind: 'duplicate_key' }).total,
    ).toBeGreaterThan(0);
  });

  for (const honour of [true, false]) {
    it(`a cancelled run resumed from its checkpoint equals one clean run (reader ${honour ? 'skips' : 'does not skip'} finished units)`, async () => {
      const items = makeRecords(6, 333);
      const clean = openDatabase(':memory:');
      const cleanId = createDataset(clean, { name: 'x', root: '/tmp/x', format: 'table' }).id;
      await ingest({
        db: clean,
        datasetId: cleanId,
        root: '/tmp/x',
        reader: fakeReader(items),
        saveCheckpoint: () => {},
        batchSize: 100,
      });

      let cp: IngestCheckpoint | undefined;
      // Stop three times at different points, then finish.
      for (const stopAt of [250, 900, 1400]) {
        const ac = new AbortController();
        await expect(
          ingest({
            db,
            datasetId,
            root: '/tmp/x',
            reader: fakeReader(items, honour),
            checkpoint: cp,
            batchSize: 100,
            saveCheckpoint: (c) => (cp = c),
            signal: ac.signal,
            afterBatch: (seq) => {
              if (seq >= stopAt) ac.abort();
            },
          }),
        ).rejects.toBeInstanceOf(JobCancelled);
        expect(cp!.nextSeq).toBeGreaterThanOrEqual(stopAt);
      }
      await ingest({
        db,
        datasetId,
        root: '/tmp/x',
        reader: fakeReader(items, honour),
        checkpoint: cp,
        saveCheckpoint: (c) => (cp = c),
        batchSize: 100,
      });
      expect(dump(db, datasetId)).toEqual(dump(clean, cleanId));
      clean.close();
    });
  }

  it('running again after completion adds nothing', async () => {
    const items = makeRecords(2, 50);
    let cp: IngestCheckpoint | undefined;
    await ingest({
      db,
      datasetId,
      root: '/tmp/x',
      reader: fakeReader(items),
      saveCheckpoint: (c) => (cp = c),
    });
    const before = dump(db, datasetId);
    const r = await ingest({
      db,
      datasetId,
      root: '/tmp/x',
      reader: fakeReader(items),
      checkpoint: cp,
      saveCheckpoint: (c) => (cp = c),
    });
    expect(r.added).toBe(0);
    expect(dump(db, datasetId)).toEqual(before);
  });
});
