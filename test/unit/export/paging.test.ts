// Exports stream the store in pages (kept pairs, uid sort, scans): correctness across
// page boundaries on a run bigger than a page, with duplicate uids and record errors.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRun } from '../../../main/core/export';
import { createDataset } from '../../../main/core/store/datasets';
import { pairInserter } from '../../../main/core/store/pairs';
import { hexUid, makeRun, workspace, type Workspace } from './fixtures';

const N = 25_003;
const keptSeqs = Array.from({ length: N }, (_, i) => i).filter((i) => i % 3 !== 1);

let ws: Workspace;
let runId: number;
const uidOf = (i: number) => hexUid(i % 20_000); // the last 5,003 pairs repeat earlier uids
const isMalformed = (i: number) => i % 997 === 0;

beforeAll(() => {
  ws = workspace('tldr-export-paging-');
  const d = createDataset(ws.ctx.db, { name: 'urls', root: path.join(ws.dir, 'urls.tsv'), format: 'table' });
  const insert = pairInserter(ws.ctx.db);
  ws.ctx.db.transaction(() => {
    for (let i = 0; i < N; i++) {
      insert(d.id, i, 0, {
        key: `k${i}`,
        imageKey: `k${i}`,
        image: { kind: 'url', url: `https://example.com/${i}.jpg` },
        url: `https://example.com/${i}.jpg`,
        uid: uidOf(i).toUpperCase(),
        caption: `caption ${i}`,
        ...(isMalformed(i)
          ? { error: { kind: 'malformed_record' as const, message: `line ${i}: broken` } }
          : {}),
      });
    }
  })();
  runId = makeRun(ws.ctx, d.id, N, keptSeqs);
});
afterAll(async () => ws.close());

describe('paging', () => {
  it('uids: every kept uid once, sorted, lower-cased hex; record errors skipped with their reason', async () => {
    const r = await exportRun({ db: ws.ctx.db, workspace: ws.ctx.workspace, runId, format: 'uids' });
    const usable = keptSeqs.filter((i) => !isMalformed(i));
    const expected = [...new Set(usable.map(uidOf))].sort();
    const lines = readFileSync(path.join(r.folder, 'uids.txt'), 'utf8').trimEnd().split('\n');
    expect(lines.length).toBe(expected.length);
    expect(lines).toEqual(expected);
    expect(r.written).toBe(usable.length);
    expect(r.skippedByReason).toEqual({ malformed_record: keptSeqs.length - usable.length });
    expect(r.manifest.details).toMatchObject({
      uids: expected.length,
      duplicates: usable.length - expected.length,
    });
    const npy = readFileSync(path.join(r.folder, 'uids.npy'));
    expect(npy.length).toBe(npyHeaderLength(npy) + 16 * expected.length);
  });

  it('urls-tsv: every kept row in seq order across pages', async () => {
    const r = await exportRun({ db: ws.ctx.db, workspace: ws.ctx.workspace, runId, format: 'urls-tsv' });
    const rows = readFileSync(path.join(r.folder, 'urls.tsv'), 'utf8').trimEnd().split('\n').slice(1);
    const usable = keptSeqs.filter((i) => !isMalformed(i));
    expect(rows.length).toBe(usable.length);
    expect(rows[0]).toBe(`https://example.com/${usable[0]}.jpg\tcaption ${usable[0]}`);
    expect(rows[rows.length - 1]).toBe(
      `https://example.com/${usable[usable.length - 1]}.jpg\tcaption ${usable[usable.length - 1]}`,
    );
    expect(rows.map((l) => Number(/\/(\d+)\.jpg/.exec(l)![1]))).toEqual(usable);
  });
});

function npyHeaderLength(b: Buffer): number {
  return 10 + b.readUInt16LE(8);
}
