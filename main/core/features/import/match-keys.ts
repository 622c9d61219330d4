// Matching source rows to indexed pairs by key, with memory linear in typed arrays only:
// the index's keys go into a hashed KeyTable (12 bytes a slot), then the source keys
// stream past it and leave one Int32 per source row (the pair seq, or why there is none).
// The table is dropped before any vector is read.
import type { CoreContext } from '../../context';
import type { JobContext } from '../../jobs/runner';
import { ImportSourceError, type ResolvedSource } from './import-source';
import { KeyTable } from './key-table';

/** map values below 0. */
export const NO_MATCH = -1;
export const DUPLICATE = -2;

export interface Matching {
  /** Per source row (parts concatenated): the pair seq, NO_MATCH or DUPLICATE. */
  map: Int32Array;
  /** Pairs that share a key with an earlier pair (a repeated uid/URL): first seq → the others. */
  extras: Map<number, readonly number[]>;
  matched: number;
  unmatched: { count: number; examples: string[] };
  duplicates: { count: number; examples: string[] };
  /** Size of the key table, for the report. */
  tableBytes: number;
}

const EXAMPLES = 5;
const PAGE = 50_000;
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function matchKeys(
  ctx: CoreContext,
  jc: JobContext,
  datasetId: number,
  pairs: number,
  src: ResolvedSource,
): Promise<Matching> {
  const table = new KeyTable(pairs);
  // keyField is one of three known column names, never user text in the SQL.
  const stmt = ctx.db
    .prepare(
      `SELECT seq, ${src.keyField} FROM pairs WHERE dataset_id = ? AND seq >= ? AND ${src.keyField} IS NOT NULL ORDER BY seq LIMIT ?`,
    )
    .raw(true);
  for (let from = 0; ;) {
    const rows = stmt.all(datasetId, from, PAGE) as [number, string][];
    for (const [seq, key] of rows) table.insert(key, seq);
    jc.progress({
      stage: 'match: index keys',
      done: rows.length ? rows[rows.length - 1]![0] + 1 : pairs,
      total: pairs,
    });
    if (rows.length < PAGE) break;
    from = rows[rows.length - 1]![0] + 1;
    jc.throwIfCancelled();
    await tick();
  }

  const map = new Int32Array(src.rows);
  const extras = new Map<number, readonly number[]>();
  const unmatched = { count: 0, examples: [] as string[] };
  const duplicates = { count: 0, examples: [] as string[] };
  let matched = 0;
  let r = 0;
  for (const part of src.parts) {
    const keys = await part.openKeys();
    try {
      let got = 0;
      for (;;) {
        const batch = await keys.next(65_536);
        if (batch.length === 0) break;
        if (got + batch.length > part.rows) {
          throw new ImportSourceError(
            `${keys.source} lists more keys than ${part.label} has rows (${part.rows})`,
          );
        }
        for (const key of batch) {
          const slot = key === null ? -1 : table.find(key);
          if (slot < 0) {
            map[r] = NO_MATCH;
            if (unmatched.count++ < EXAMPLES) unmatched.examples.push(key ?? `(row ${r}: no key)`);
          } else if (!table.claim(slot)) {
            map[r] = DUPLICATE;
            if (duplicates.count++ < EXAMPLES) duplicates.examples.push(key!);
          } else {
            const seq = table.seqAt(slot);
            map[r] = seq;
            const more = table.extraAt(slot);
            if (more) extras.set(seq, more);
            matched++;
          }
          r++;
        }
        got += batch.length;
        jc.progress({ stage: 'match: source keys', done: r, total: src.rows });
        jc.throwIfCancelled();
      }
      if (got < part.rows) {
        throw new ImportSourceError(
          `${keys.source} lists ${got} keys but ${part.label} has ${part.rows} rows`,
        );
      }
    } finally {
      keys.close();
    }
  }
  return { map, extras, matched, unmatched, duplicates, tableBytes: table.bytes };
}
