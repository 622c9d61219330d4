// `tldr-studio import-embeddings` as a user meets it: a .npy with a key list that misses
// some pairs and names some that are not in the dataset, reported as matched / unmatched,
// then usable by compress; bad usage exits 2.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNpy } from '../../main/core/features/import/npy-write';
import { repoRoot, tempDir } from '../helpers/tmp';

const CLI = path.join(repoRoot, 'bin', 'tldr-studio.mjs');

function cli(workspace: string, args: string[]) {
  const r = spawnSync(process.execPath, [CLI, '--workspace', workspace, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('tldr-studio import-embeddings', () => {
  const t = tempDir('tldr-cli-import-');
  afterAll(() => t.cleanup());
  const ws = path.join(t.dir, 'ws');
  const PAIRS = 60;
  const D = 8;
  const url = (i: number) => `http://img.example.com/cc/${i}.jpg`;
  const words = ['dog', 'beach', 'red car', 'mountain lake', 'city street at night', 'bowl of soup'];
  // Rows for pairs 0..49 in a shuffled order (50..59 never got embeddings) plus 3 rows
  // whose keys are not in the dataset.
  const present = Array.from({ length: 50 }, (_, i) => (i * 7) % 50);
  const foreign = [
    'http://other.example.org/a.jpg',
    'http://other.example.org/b.jpg',
    'http://other.example.org/c.jpg',
  ];
  const keys = [...present.map(url), ...foreign];
  const img = path.join(t.dir, 'emb', 'img_emb.npy');
  const txt = path.join(t.dir, 'emb', 'text_emb.npy');
  const keyFile = path.join(t.dir, 'emb', 'keys.txt');
  let datasetId = 0;

  beforeAll(() => {
    const tsv = path.join(t.dir, 'cc.tsv');
    const lines = Array.from(
      { length: PAIRS },
      (_, i) => `a photo of a ${words[i % words.length]} ${i}\t${url(i)}`,
    );
    writeFileSync(tsv, `${lines.join('\n')}\n`);
    const r = cli(ws, ['--json', '--quiet', 'index', tsv]);
    expect(r.code, r.stderr).toBe(0);
    datasetId = JSON.parse(r.stdout).datasetId;
    // Row r's vector encodes the pair it belongs to, so the stored rows can be checked.
    const a = new Float32Array(keys.length * D);
    const b = new Float32Array(keys.length * D);
    for (let r = 0; r < keys.length; r++) {
      for (let j = 0; j < D; j++) {
        a[r * D + j] = Math.cos(r * 1.3 + j);
        b[r * D + j] = Math.cos(r * 1.3 + j + 0.2);
      }
    }
    const dir = path.dirname(img);
    mkdirSync(dir, { recursive: true });
    writeNpy(img, a, keys.length, D);
    writeNpy(txt, b, keys.length, D);
    writeFileSync(keyFile, `${keys.join('\n')}\n`);
  });

  it('imports a .npy with a key list and reports the unmatched rows and the pairs left without a vector', () => {
    const r = cli(ws, ['import-embeddings', String(datasetId), '--image', img, '--keys', keyFile]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/matched by key\s+50 of 53 embedding rows/);
    expect(r.stdout).toMatch(/unmatched rows\s+3\s+\(e\.g\. http:\/\/other\.example\.org\/a\.jpg/);
    expect(r.stdout).toMatch(/pairs without a vector\s+10 of 60/);
    expect(r.stdout).toMatch(/no text embeddings/);
    expect(r.stdout).toMatch(/compress \d+ --model import:emb/);
  });

  it('prints the report as JSON, with text embeddings, under a chosen name that compress can use', () => {
    const r = cli(ws, [
      '--json',
      '--quiet',
      'import-embeddings',
      String(datasetId),
      '--image',
      img,
      '--text',
      txt,
      '--keys',
      keyFile,
      '--model',
      'clip-precomputed',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep).toMatchObject({
      model: 'clip-precomputed',
      pairs: PAIRS,
      sourceRows: keys.length,
      imageDims: D,
      textDims: D,
      matched: 50,
      unmatched: { count: 3, examples: foreign },
      duplicates: { count: 0 },
      pairsWithoutVector: { count: 10 },
    });
    expect(rep.pairsWithoutVector.examples).toEqual([50, 51, 52, 53, 54].map(url));

    const c = cli(ws, [
      '--json',
      '--quiet',
      'compress',
      String(datasetId),
      '--model',
      'clip-precomputed',
      '--method',
      'alignment',
      '--budget',
      '20',
      '--no-evaluate',
    ]);
    expect(c.code, c.stderr).toBe(0);
    expect(JSON.parse(c.stdout).kept).toBe(20);
  });

  it('exits 2 on bad usage and on a source that is not there', () => {
    const id = String(datasetId);
    const noKeys = cli(ws, ['import-embeddings', id, '--image', img]);
    expect(noKeys.code).toBe(2);
    expect(noKeys.stderr).toMatch(/--keys is required/);
    const missing = cli(ws, ['--json', 'import-embeddings', id, '--image', img, '--keys', `${keyFile}.gone`]);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout).error.message).toMatch(/not found: .*keys\.txt\.gone/);
    const notNpy = cli(ws, ['import-embeddings', id, '--image', keyFile, '--keys', keyFile]);
    expect(notNpy.code).toBe(2);
    expect(notNpy.stderr).toMatch(/not a NumPy \.npy/);
    expect(
      cli(ws, ['import-embeddings', id, '--image', img, '--keys', keyFile, '--key-field', 'sha']).code,
    ).toBe(2);
    const noDataset = cli(ws, ['import-embeddings', '99', '--image', img, '--keys', keyFile]);
    expect(noDataset.code).toBe(2);
    expect(noDataset.stderr).toMatch(/no dataset with id 99/);
  });
});
