// DataComp's subset: the sorted uid list, as text (one per line) and as the `u8,u8` .npy its
// resharder loads. Sorting 40M uids in JS would hold them all; SQLite sorts them instead,
// in a temporary table (on disk), filled and read back in pages.
import { META_USABLE_SQL } from '../kept-pairs';
import { npyUidHeader, uidRecord } from '../npy';
import type { WriteContext, WriteOutcome, WriteTarget } from './context';

export const UIDS_TEXT = 'uids.txt';
export const UIDS_NPY = 'uids.npy';

const FILL_CHUNK = 100_000;
const PAGE = 10_000;
let tableCounter = 0;

const HEX_SQL = `(length(p.uid) = 32 AND lower(p.uid) NOT GLOB '*[^0-9a-f]*')`;

export async function writeUids(ctx: WriteContext, t: WriteTarget): Promise<WriteOutcome> {
  const { db } = ctx;
  const table = `temp.tldr_export_uids_${process.pid}_${++tableCounter}`;
  db.exec(`CREATE TABLE ${table} (uid TEXT PRIMARY KEY) WITHOUT ROWID`);
  try {
    // Fill: hex uids lower-cased so text order is DataComp's numeric order.
    const range = db
      .prepare(`SELECT MIN(seq) AS lo, MAX(seq) AS hi FROM run_pairs WHERE run_id = ? AND kept = 1`)
      .get(ctx.runId) as { lo: number | null; hi: number | null };
    const fill = db.prepare(
      `INSERT OR IGNORE INTO ${table} (uid)
       SELECT CASE WHEN ${HEX_SQL} THEN lower(p.uid) ELSE p.uid END
       FROM run_pairs r JOIN pairs p ON p.dataset_id = ? AND p.seq = r.seq
       WHERE r.run_id = ? AND r.kept = 1 AND r.seq >= ? AND r.seq < ? AND ${META_USABLE_SQL}
         AND p.uid IS NOT NULL AND p.uid <> ''`,
    );
    let considered = 0;
    const countChunk = db.prepare(
      `SELECT COUNT(*) AS n FROM run_pairs r JOIN pairs p ON p.dataset_id = ? AND p.seq = r.seq
       WHERE r.run_id = ? AND r.kept = 1 AND r.seq >= ? AND r.seq < ? AND ${META_USABLE_SQL}
         AND p.uid IS NOT NULL AND p.uid <> ''`,
    );
    if (range.lo !== null && range.hi !== null) {
      for (let lo = range.lo; lo <= range.hi; lo += FILL_CHUNK) {
        ctx.signal?.throwIfAborted();
        fill.run(ctx.dataset.id, ctx.runId, lo, lo + FILL_CHUNK);
        considered += (countChunk.get(ctx.dataset.id, ctx.runId, lo, lo + FILL_CHUNK) as { n: number }).n;
        ctx.progress('scan', Math.min(considered, t.source.total), t.source.total);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await logRecordErrors(ctx, t);

    const unique = (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    const nonHex = (
      db
        .prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE length(uid) <> 32 OR uid GLOB '*[^0-9a-f]*'`)
        .get() as {
        n: number;
      }
    ).n;
    const text = await ctx.staged.create(`${t.prefix}${UIDS_TEXT}`);
    const npy = nonHex === 0 ? await ctx.staged.create(`${t.prefix}${UIDS_NPY}`) : undefined;
    if (npy) await npy.write(npyUidHeader(unique));
    const page = db.prepare(`SELECT uid FROM ${table} WHERE uid > ? ORDER BY uid LIMIT ?`);
    let last = '';
    let done = 0;
    for (;;) {
      ctx.signal?.throwIfAborted();
      const rows = page.all(last, PAGE) as { uid: string }[];
      if (rows.length === 0) break;
      await text.write(rows.map((r) => `${r.uid}\n`).join(''));
      if (npy) await npy.write(Buffer.concat(rows.map((r) => uidRecord(r.uid))));
      done += rows.length;
      ctx.progress('write', done, unique);
      last = rows[rows.length - 1]!.uid;
    }
    await text.close();
    await npy?.close();
    const duplicates = considered - unique;
    if (duplicates > 0)
      ctx.notes.push(`${duplicates} kept pairs share a uid with another kept pair; each uid is listed once.`);
    if (nonHex > 0) {
      ctx.notes.push(
        `${UIDS_NPY} was not written: ${nonHex} uids are not 32 hex digits (DataComp's 128-bit uid), so they have no u8,u8 form. ${UIDS_TEXT} lists them all.`,
      );
    }
    // Pairs sharing a uid are all "written": the list selects every one of them.
    return {
      written: considered,
      entry: `${t.prefix}${npy ? UIDS_NPY : UIDS_TEXT}`,
      details: {
        uids: unique,
        duplicates,
        text: `${t.prefix}${UIDS_TEXT}`,
        ...(npy
          ? { npy: `${t.prefix}${UIDS_NPY}`, npyDtype: 'u8,u8 (high, low 64 bits of the hex uid), sorted' }
          : {}),
        trainer: npy
          ? `DataComp: python resharder.py -i <pool shards> -o <out> -s ${t.prefix}${UIDS_NPY}`
          : 'a sorted uid list, one per line',
      },
    };
  } finally {
    db.exec(`DROP TABLE IF EXISTS ${table}`);
  }
}

/** Kept pairs left out of the list for a problem with the record itself (not just the image). */
async function logRecordErrors(ctx: WriteContext, t: WriteTarget): Promise<void> {
  const stmt = ctx.db.prepare(
    `SELECT p.seq AS seq, p.key AS key, p.error_kind AS kind, p.error AS error
     FROM run_pairs r JOIN pairs p ON p.dataset_id = ? AND p.seq = r.seq
     WHERE r.run_id = ? AND r.kept = 1 AND r.seq > ? AND NOT ${META_USABLE_SQL}
     ORDER BY r.seq LIMIT ?`,
  );
  let last = -1;
  for (;;) {
    const rows = stmt.all(ctx.dataset.id, ctx.runId, last, PAGE) as {
      seq: number;
      key: string;
      kind: string | null;
      error: string | null;
    }[];
    for (const r of rows) {
      await t.skips.skip(
        r.seq,
        r.key,
        r.kind ?? 'index_error',
        `indexed with an error: ${r.error ?? r.kind ?? 'unknown'}`,
      );
    }
    if (rows.length < PAGE) return;
    last = rows[rows.length - 1]!.seq;
  }
}
