// The ingest job: streams a reader's records into the index in batched transactions.
//
// Exactly-once across kills and re-runs: each batch, its word counts and the checkpoint
// (next seq, the unit being read and the seq at which that unit started) commit in ONE
// transaction. A resumed run restarts at that unit, re-reads it, and skips every item
// whose seq is below the committed one; seq is assigned in the reader's fixed order, so
// the resumed run assigns the same seq to the same item as a clean run would.
import type { FormatReader, PairRecord, ReadProgress } from '../dataset/types';
import type { Db } from '../store/db';
import { pairInserter, wordCountUpserter } from '../store/pairs';
import { JobCancelled } from '../jobs/runner';
import { countWords } from '../text/tokenize';

export interface IngestCheckpoint {
  nextSeq: number;
  unit: number;
  unitStartSeq: number;
}

export interface IngestOptions {
  db: Db;
  datasetId: number;
  root: string;
  reader: FormatReader;
  checkpoint?: IngestCheckpoint | undefined;
  saveCheckpoint: (cp: IngestCheckpoint) => void;
  signal?: AbortSignal | undefined;
  onProgress?: (p: { done: number; total?: number; source?: ReadProgress }) => void;
  batchSize?: number;
  /** Called after each committed batch (tests use it to kill the process mid-way). */
  afterBatch?: (committedSeq: number) => void;
}

export interface IngestResult {
  /** Items committed by this run (not counting those of an earlier, interrupted run). */
  added: number;
  pairs: number;
  resumedFrom: number;
}

/** Ingest's own checks on top of the reader's: what every format shares. */
function validate(r: PairRecord): PairRecord {
  if (r.error) return r;
  if (r.caption === null)
    return { ...r, error: { kind: 'missing_caption', message: 'no caption for this image' } };
  if (r.caption.trim() === '')
    return { ...r, error: { kind: 'empty_caption', message: 'the caption is empty' } };
  return r;
}

export async function ingest(opts: IngestOptions): Promise<IngestResult> {
  const { db, datasetId, reader } = opts;
  const batchSize = opts.batchSize ?? 2000;
  const cp: IngestCheckpoint = opts.checkpoint ?? { nextSeq: 0, unit: 0, unitStartSeq: 0 };
  const insert = pairInserter(db);
  const upsertWords = wordCountUpserter(db);
  const existingKey = db.prepare(`SELECT seq FROM pairs WHERE dataset_id = ? AND key = ?`);

  const total = reader.estimateTotal ? await reader.estimateTotal({ root: opts.root }) : undefined;
  let source: ReadProgress | undefined;

  let batch: { seq: number; unit: number; record: PairRecord }[] = [];
  let seq = cp.unitStartSeq;
  let unit = cp.unit;
  let unitStartSeq = cp.unitStartSeq;
  let committed = cp.nextSeq;
  let added = 0;

  const commit = db.transaction((items: typeof batch, next: IngestCheckpoint) => {
    const words = new Map<string, number>();
    for (const it of items) {
      let r = validate(it.record);
      if (!insert(datasetId, it.seq, it.unit, r)) {
        const first = existingKey.get(datasetId, r.key) as { seq: number } | undefined;
        r = {
          ...r,
          key: `${r.key}#dup${it.seq}`,
          error: {
            kind: 'duplicate_key',
            message: `key "${r.key}" already used by pair ${first?.seq ?? '?'}`,
          },
        };
        insert(datasetId, it.seq, it.unit, r);
      }
      if (!r.error && r.caption) countWords(r.caption, words);
    }
    upsertWords(datasetId, words);
    opts.saveCheckpoint(next);
  });

  const flush = (): void => {
    if (batch.length === 0) return;
    const last = batch[batch.length - 1]!;
    const next = { nextSeq: last.seq + 1, unit, unitStartSeq };
    commit(batch, next);
    added += batch.length;
    committed = next.nextSeq;
    batch = [];
    opts.afterBatch?.(committed);
    opts.onProgress?.({
      done: committed,
      ...(total !== undefined ? { total } : {}),
      ...(source ? { source } : {}),
    });
  };

  const iterable = reader.read({
    root: opts.root,
    startUnit: cp.unit,
    ...(opts.signal ? { signal: opts.signal } : {}),
    onProgress: (p) => {
      source = p;
    },
  });

  for await (const item of iterable) {
    if (opts.signal?.aborted) break;
    if (item.unit < cp.unit) continue; // the reader did not skip finished units itself
    if (item.unit !== unit) {
      unit = item.unit;
      unitStartSeq = seq;
    }
    const s = seq++;
    if (s < committed) continue; // committed by an earlier run
    batch.push({ seq: s, unit: item.unit, record: item.record });
    if (batch.length >= batchSize) {
      flush();
      // Let events (progress, cancel requests) through between batches.
      await new Promise<void>((r) => setImmediate(r));
    }
  }
  // A cancelled run drops its uncommitted batch: the resumed run reads it again.
  if (opts.signal?.aborted) throw new JobCancelled();
  flush();
  const pairs = (
    db.prepare(`SELECT COUNT(*) AS n FROM pairs WHERE dataset_id = ?`).get(datasetId) as { n: number }
  ).n;
  return { added, pairs, resumedFrom: cp.nextSeq };
}
