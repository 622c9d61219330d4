// features.import at the contract: malformed requests are refused before any handler runs,
// and a well-formed request naming a source that is not there is refused as bad input
// (not started as a job that then fails).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, parseInput } from '../../../main/api/contract';
import { Engine } from '../../../main/engine/engine';
import { writeNpy } from '../../../main/core/features/import/npy-write';
import { tempDir } from '../../helpers/tmp';

function refusal(input: unknown): string {
  try {
    parseInput('features.import', input);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe('invalid_input');
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('features.import request validation', () => {
  const npy = { kind: 'npy', image: '/data/img_emb.npy', keys: '/data/keys.txt' };

  it('accepts the three source layouts', () => {
    expect(parseInput('features.import', { datasetId: 1, source: npy })).toMatchObject({ source: npy });
    expect(
      parseInput('features.import', {
        datasetId: 1,
        source: { kind: 'clip-retrieval', folder: '/emb', keyField: 'url' },
        model: 'clip-l14',
      }),
    ).toMatchObject({ model: 'clip-l14' });
    expect(
      parseInput('features.import', {
        datasetId: 2,
        source: { kind: 'npz', file: 'a.npz', keys: 'uid.parquet' },
      }),
    ).toMatchObject({ datasetId: 2 });
  });

  it('refuses malformed requests with the field at fault', () => {
    expect(refusal({ source: npy })).toMatch(/datasetId/);
    expect(refusal({ datasetId: 0, source: npy })).toMatch(/datasetId/);
    expect(refusal({ datasetId: 1 })).toMatch(/source/);
    expect(refusal({ datasetId: 1, source: { ...npy, kind: 'hdf5' } })).toMatch(/source\.kind/);
    expect(refusal({ datasetId: 1, source: { kind: 'npy', image: '/data/img_emb.npy' } })).toMatch(
      /source\.keys/,
    );
    expect(refusal({ datasetId: 1, source: { ...npy, image: '' } })).toMatch(
      /source\.image: a path is required/,
    );
    expect(refusal({ datasetId: 1, source: { ...npy, keys: 'k\0.txt' } })).toMatch(/NUL byte/);
    expect(refusal({ datasetId: 1, source: { ...npy, keyField: 'sha256' } })).toMatch(/source\.keyField/);
    expect(refusal({ datasetId: 1, source: { kind: 'npz', file: 'a.npz' } })).toMatch(/source\.keys/);
    expect(refusal({ datasetId: 1, source: { kind: 'clip-retrieval' } })).toMatch(/source\.folder/);
    expect(refusal({ datasetId: 1, source: npy, model: '' })).toMatch(/model/);
  });
});

describe('features.import at the engine', () => {
  const t = tempDir('tldr-import-contract-');
  let engine: Engine;
  let datasetId = 0;
  const img = path.join(t.dir, 'img.npy');
  const keys = path.join(t.dir, 'keys.txt');
  beforeAll(async () => {
    engine = new Engine(path.join(t.dir, 'ws'));
    const tsv = path.join(t.dir, 'cc.tsv');
    writeFileSync(
      tsv,
      ['a dog\thttp://x/0.jpg', 'a cat\thttp://x/1.jpg', 'a car\thttp://x/2.jpg', ''].join('\n'),
    );
    const started = await engine.call('datasets.index', { path: tsv });
    if (!started.ok) throw new Error(started.error.message);
    datasetId = (started.value as { datasetId: number }).datasetId;
    await engine.ctx.jobs.wait((started.value as { jobId: number }).jobId);
    writeNpy(img, new Float32Array(8).fill(0.5), 2, 4);
    writeFileSync(keys, 'http://x/0.jpg\nhttp://x/2.jpg\n');
  });
  afterAll(async () => {
    await engine.close();
    t.cleanup();
  });

  it('refuses an unknown dataset and missing or unreadable files as invalid input, without a job', async () => {
    const cases: [unknown, RegExp][] = [
      [{ datasetId: 99, source: { kind: 'npy', image: img, keys } }, /no dataset with id 99/],
      [{ datasetId, source: { kind: 'npy', image: `${img}.gone`, keys } }, /not found: .*img\.npy\.gone/],
      [{ datasetId, source: { kind: 'npy', image: keys, keys } }, /not a NumPy \.npy/],
      [{ datasetId, source: { kind: 'clip-retrieval', folder: t.dir } }, /no metadata/],
    ];
    for (const [input, message] of cases) {
      const r = await engine.call('features.import', input);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code, r.error.message).toBe('invalid_input');
        expect(r.error.message).toMatch(message);
      }
    }
    expect(engine.ctx.jobs.list().filter((j) => j.kind === 'import-embeddings')).toEqual([]);
  });

  it('starts a job for a good request, whose result is the match report', async () => {
    const r = await engine.call('features.import', { datasetId, source: { kind: 'npy', image: img, keys } });
    expect(r.ok).toBe(true);
    const { jobId } = r.ok ? (r.value as { jobId: number }) : { jobId: 0 };
    const done = await engine.ctx.jobs.wait(jobId);
    expect(done.state).toBe('done');
    expect(done.result).toMatchObject({
      matched: 2,
      unmatched: { count: 0 },
      pairsWithoutVector: { count: 1 },
    });
  });
});
