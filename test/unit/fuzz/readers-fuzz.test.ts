// Hostile input for every dataset reader: a small sound dataset per format (built with the
// fixture builders and real LLaVA-pretrain images), then mutated copies of its files
// (bit flips, truncation, inserted/deleted bytes, huge numbers and length fields, random
// bytes) go through detection and the ingest path for a bounded time each. Every case must
// finish (no throw, no hang), account for every item the reader yielded as ok or error
// with a known kind and a message, and keep memory bounded.
//
// Seeded: TLDR_FUZZ_SEED=<n> replays a run, TLDR_FUZZ_MS=<ms> fuzzes longer per reader.
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFormat } from '../../../main/core/dataset/detect';
import { createReader } from '../../../main/core/dataset/registry';
import {
  ERROR_KINDS,
  type FormatId,
  type FormatReader,
  type ReadItem,
  type ReadOptions,
} from '../../../main/core/dataset/types';
import { ingest } from '../../../main/core/ingest/ingest';
import { openDatabase } from '../../../main/core/store/db';
import { createDataset } from '../../../main/core/store/datasets';
import { jpeg, png } from '../../fixtures/dataset/images';
import {
  attemptsParquet,
  imagesParquet,
  sample,
  sampleEntries,
  successRows,
  failedRow,
} from '../../fixtures/dataset/img2dataset-builder';
import { buildTar } from '../../fixtures/dataset/tar-builder';
import { makeTempDir, put } from '../../fixtures/dataset/temp-dir';
import { budgetMs, caseSeed, mutateMany, rng, runSeed, withTimeout } from '../../helpers/fuzz';
import { sharedData } from '../../helpers/tmp';

const SEED = runSeed();
const BUDGET_MS = budgetMs(2000);
const MAX_CASES = Number(process.env.TLDR_FUZZ_CASES) || 400;
const CASE_TIMEOUT_MS = 10_000;
/** RSS may grow this much over a reader's run (a length field trusted blindly costs GBs). */
const RSS_GROWTH_LIMIT = 400 * 1024 * 1024;

const tmp = makeTempDir('tldr-fuzz-');
afterAll(() => tmp.cleanup());

const llava = path.join(sharedData, 'llava-pretrain-2k');
/** Real images (the smallest of the LLaVA sample) and their captions. */
const REAL = ['000010021.jpg', '000012768.jpg', '000019677.jpg'];
const realImage = (n: number): Buffer => readFileSync(path.join(llava, 'images', REAL[n % REAL.length]!));
const CAPTIONS = ['the bunk room', 'a garden with a clipped hedge', 'a red bus on a bridge', 'two dogs'];

let small: Buffer;
let smallPng: Buffer;
beforeAll(async () => {
  small = await jpeg(24, 16, 3);
  smallPng = await png(12, 9);
});

interface Seed {
  /** Files of the sound dataset, relative to its folder. */
  files: Record<string, Buffer | string>;
  /** Files the fuzzer mutates (a subset of files), with relative weights. */
  targets: [rel: string, weight: number][];
  /** What is dropped: the folder ('') or one file in it. */
  root?: string;
}

const llavaJson = (): string => {
  const all = JSON.parse(readFileSync(path.join(llava, 'original', 'blip_laion_cc_sbu_2k.json'), 'utf8')) as {
    image: string;
  }[];
  return JSON.stringify(
    all.slice(0, 6).map((it, i) => ({ ...it, image: REAL[i % REAL.length] })),
    null,
    1,
  );
};

function seeds(): Record<string, { format: FormatId; seed: () => Seed }> {
  const samples = () =>
    [0, 1, 2, 3].map((i) => sample(`00000000${i}`, i === 0 ? realImage(0) : small, CAPTIONS[i]!, 24, 16));
  return {
    webdataset: {
      format: 'webdataset',
      seed: () => {
        const s = samples();
        return {
          files: {
            '00000.tar': buildTar(s.flatMap(sampleEntries)),
            '00000.parquet': attemptsParquet([...successRows(s), failedRow('000000009')]),
            '00000_stats.json': JSON.stringify({ count: 5, successes: 4, failed_to_download: 1 }),
          },
          targets: [
            ['00000.tar', 6],
            ['00000.parquet', 2],
            ['00000_stats.json', 1],
          ],
        };
      },
    },
    'img2dataset-files': {
      format: 'img2dataset-files',
      seed: () => {
        const s = samples();
        const files: Record<string, Buffer | string> = {
          '00000.parquet': attemptsParquet(successRows(s)),
          '00000_stats.json': JSON.stringify({ count: 4, successes: 4 }),
        };
        for (const e of s.flatMap(sampleEntries)) files[`00000/${e.name}`] = Buffer.from(e.data);
        return {
          files,
          targets: [
            ['00000.parquet', 3],
            ['00000/000000001.json', 2],
            ['00000/000000001.txt', 1],
            ['00000/000000000.jpg', 2],
            ['00000_stats.json', 1],
          ],
        };
      },
    },
    'img2dataset-parquet': {
      format: 'img2dataset-parquet',
      seed: () => ({
        files: {
          '00000.parquet': imagesParquet(
            [
              { key: '000000000', image: realImage(1), txt: CAPTIONS[0]!, status: 'success' },
              { key: '000000001', image: small, txt: CAPTIONS[1]!, status: 'success' },
              {
                key: '000000002',
                image: null,
                txt: null,
                status: 'failed_to_download',
                error_message: '404',
              },
              { key: '000000003', image: smallPng, txt: CAPTIONS[2]!, status: 'success' },
            ],
            { rowGroupSize: 2, withSize: true },
          ),
        },
        targets: [['00000.parquet', 1]],
      }),
    },
    coco: {
      format: 'coco',
      seed: () => ({
        files: {
          'val2014/COCO_val2014_1.jpg': realImage(0),
          'val2014/COCO_val2014_2.jpg': small,
          'annotations/captions_val2014.json': JSON.stringify(
            {
              info: { year: 2014 },
              images: [1, 2].map((id) => ({
                id,
                file_name: `COCO_val2014_${id}.jpg`,
                width: 24,
                height: 16,
              })),
              annotations: [
                { image_id: 1, id: 10, caption: CAPTIONS[0] },
                { image_id: 2, id: 11, caption: CAPTIONS[1] },
                { image_id: 1, id: 12, caption: CAPTIONS[2] },
              ],
            },
            null,
            1,
          ),
        },
        targets: [
          ['annotations/captions_val2014.json', 5],
          ['val2014/COCO_val2014_1.jpg', 1],
        ],
      }),
    },
    karpathy: {
      format: 'karpathy',
      seed: () => ({
        files: {
          'val2014/a.jpg': realImage(2),
          'train2014/b.jpg': small,
          'dataset_coco.json': JSON.stringify(
            {
              images: [
                {
                  filepath: 'val2014',
                  filename: 'a.jpg',
                  split: 'test',
                  sentences: [{ raw: CAPTIONS[0], tokens: ['the'] }, { raw: CAPTIONS[1] }],
                },
                {
                  filepath: 'train2014',
                  filename: 'b.jpg',
                  split: 'train',
                  sentences: [{ raw: CAPTIONS[2] }],
                },
              ],
              dataset: 'coco',
            },
            null,
            1,
          ),
        },
        targets: [['dataset_coco.json', 1]],
      }),
    },
    'blip-json': {
      format: 'blip-json',
      seed: () => ({
        files: {
          'images/x.jpg': realImage(0),
          'images/y.jpg': small,
          'train.json': JSON.stringify([
            { image: 'x.jpg', caption: [CAPTIONS[0], CAPTIONS[1]] },
            { image: 'y.jpg', caption: CAPTIONS[2], image_id: 'y1' },
          ]),
        },
        targets: [['train.json', 1]],
        root: 'train.json',
      }),
    },
    'llava-json': {
      format: 'llava-json',
      seed: () => ({
        files: Object.fromEntries([
          ['blip_laion_cc_sbu_6.json', llavaJson()],
          ...REAL.map((n, i) => [`images/${n}`, realImage(i)]),
        ]) as Record<string, Buffer | string>,
        targets: [
          ['blip_laion_cc_sbu_6.json', 5],
          [`images/${REAL[0]}`, 1],
        ],
      }),
    },
    'flickr-token': {
      format: 'flickr-token',
      seed: () => ({
        files: {
          'Flicker8k_Dataset/1000_a.jpg': realImage(1),
          'Flicker8k_Dataset/1001_b.jpg': small,
          'Flickr8k.token.txt': [
            `1000_a.jpg#0\t${CAPTIONS[0]}`,
            `1000_a.jpg#1\t${CAPTIONS[1]}`,
            `1001_b.jpg#0\t${CAPTIONS[2]}`,
            '',
          ].join('\n'),
        },
        targets: [['Flickr8k.token.txt', 1]],
      }),
    },
    'flickr-csv': {
      format: 'flickr-csv',
      seed: () => ({
        files: {
          'Images/a.jpg': realImage(2),
          'Images/b.jpg': small,
          'captions.txt': `image,caption\na.jpg,"${CAPTIONS[1]}, quoted"\na.jpg,${CAPTIONS[0]}\nb.jpg,${CAPTIONS[3]}\n`,
        },
        targets: [['captions.txt', 1]],
      }),
    },
    'table (real captions.tsv)': {
      format: 'table',
      seed: () => {
        const tsv = readFileSync(path.join(llava, 'captions.tsv'), 'utf8').split('\n').slice(0, 1);
        const files: Record<string, Buffer | string> = {};
        REAL.forEach((n, i) => {
          files[`images/${n}`] = realImage(i);
          tsv.push(`${n}\t${CAPTIONS[i]}`);
        });
        files['captions.tsv'] = tsv.join('\n') + '\n';
        return { files, targets: [['captions.tsv', 1]] };
      },
    },
    'table (csv of URLs)': {
      format: 'table',
      seed: () => ({
        files: {
          'cc.csv': `url,caption\n${[0, 1, 2, 3].map((i) => `https://example.com/${i}.jpg,"${CAPTIONS[i]}"`).join('\n')}\n`,
        },
        targets: [['cc.csv', 1]],
      }),
    },
    folder: {
      format: 'folder',
      seed: () => ({
        files: {
          'a.jpg': realImage(0),
          'a.txt': CAPTIONS[0]!,
          'sub/b.png': smallPng,
          'sub/b.txt': CAPTIONS[1]!,
        },
        targets: [
          ['a.jpg', 2],
          ['a.txt', 1],
          ['sub/b.png', 2],
        ],
      }),
    },
  };
}

function pick<T>(items: [T, number][], r: () => number): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [item, w] of items) if ((x -= w) < 0) return item;
  return items[items.length - 1]![0];
}

/** Wraps a reader to count what it yields. */
function counting(reader: FormatReader): { reader: FormatReader; count: () => number } {
  let n = 0;
  return {
    count: () => n,
    reader: {
      ...reader,
      format: reader.format,
      read: async function* (opts: ReadOptions): AsyncGenerator<ReadItem> {
        for await (const it of reader.read(opts)) {
          n++;
          yield it;
        }
      },
    },
  };
}

interface CaseResult {
  yielded: number;
  pairs: number;
  ok: number;
  errors: number;
  kinds: Record<string, number>;
}

/** Detection, then ingest into a fresh in-memory index; checks the bookkeeping. */
async function runCase(
  root: string,
  format: FormatId,
  options: Record<string, unknown> | undefined,
): Promise<CaseResult> {
  const abort = new AbortController();
  try {
    const run = async (): Promise<CaseResult> => {
      const detection = await detectFormat(root);
      expect(Array.isArray(detection.candidates)).toBe(true);
      const db = openDatabase(':memory:');
      try {
        const datasetId = createDataset(db, { name: 'fuzz', root, format }).id;
        const { reader, count } = counting(createReader(format, options));
        const r = await ingest({
          db,
          datasetId,
          root,
          reader,
          saveCheckpoint: () => undefined,
          signal: abort.signal,
          batchSize: 64,
        });
        const rows = db
          .prepare(`SELECT status, error_kind AS kind, error AS message FROM pairs WHERE dataset_id = ?`)
          .all(datasetId) as { status: string; kind: string | null; message: string | null }[];
        const kinds: Record<string, number> = {};
        let ok = 0;
        let errors = 0;
        for (const row of rows) {
          if (row.status === 'ok') {
            expect(row.kind).toBeNull();
            ok++;
          } else {
            expect(row.status).toBe('error');
            expect(ERROR_KINDS).toContain(row.kind);
            expect(row.message, `an error of kind ${row.kind} without a message`).toBeTruthy();
            errors++;
            kinds[row.kind!] = (kinds[row.kind!] ?? 0) + 1;
          }
        }
        return { yielded: count(), pairs: r.pairs, ok, errors, kinds };
      } finally {
        db.close();
      }
    };
    return await withTimeout(run(), CASE_TIMEOUT_MS, 'detect + ingest');
  } finally {
    abort.abort();
  }
}

async function writeFiles(dir: string, files: Record<string, Buffer | string>): Promise<void> {
  for (const [rel, data] of Object.entries(files)) await put(dir, rel, data);
}

describe('dataset readers under hostile input', () => {
  const table = seeds();
  const summary: string[] = [];
  afterAll(() => {
    // One line per reader: how many cases ran, and what the errors were.
    console.log(`fuzz seed=${SEED} budget=${BUDGET_MS}ms per reader\n${summary.join('\n')}`);
  });

  for (const [name, { format, seed }] of Object.entries(table)) {
    it(`${name}: every mutated input is read to the end, every item counted as ok or error`, async () => {
      const s = seed();
      const dir = path.join(tmp.dir, name.replace(/[^a-z0-9-]+/gi, '_'));
      await writeFiles(dir, s.files);
      const root = s.root ? path.join(dir, s.root) : dir;

      // The sound dataset: detected as its format, read with no error except what was planted.
      const detection = await detectFormat(root);
      expect(detection.format, `${name} seed detection: ${detection.problem}`).toBe(format);
      const options = detection.options;
      const clean = await runCase(root, format, options);
      expect(clean.ok).toBeGreaterThan(0);
      expect(clean.yielded).toBe(clean.pairs);

      const rss0 = process.memoryUsage().rss;
      let peak = rss0;
      const started = Date.now();
      let cases = 0;
      const kinds: Record<string, number> = {};
      let items = 0;
      for (; cases < MAX_CASES && Date.now() - started < BUDGET_MS; cases++) {
        const r = rng(caseSeed(SEED, name, cases));
        const target = pick(s.targets, r);
        const m = mutateMany(Buffer.from(s.files[target]!), r);
        const where = `TLDR_FUZZ_SEED=${SEED} reader=${name} case=${cases} file=${target} mutation=${m.name}`;
        await writeFile(path.join(dir, target), m.bytes);
        let res: CaseResult;
        try {
          res = await runCase(root, format, options);
        } catch (e) {
          throw new Error(`${where}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`, {
            cause: e,
          });
        }
        expect(res.pairs, where).toBe(res.yielded);
        expect(res.ok + res.errors, where).toBe(res.pairs);
        items += res.pairs;
        for (const [k, n] of Object.entries(res.kinds)) kinds[k] = (kinds[k] ?? 0) + n;
        // Back to the sound file for the next case.
        await writeFile(path.join(dir, target), s.files[target]!);
        peak = Math.max(peak, process.memoryUsage().rss);
        expect(peak - rss0, `${where}: RSS grew by ${((peak - rss0) / 2 ** 20).toFixed(0)} MB`).toBeLessThan(
          RSS_GROWTH_LIMIT,
        );
      }
      await rm(dir, { recursive: true, force: true });
      summary.push(
        `  ${name}: ${cases} cases, ${items} items, rss +${((peak - rss0) / 2 ** 20).toFixed(0)} MB, errors ${JSON.stringify(kinds)}`,
      );
      expect(cases).toBeGreaterThan(0);
    });
  }
});
