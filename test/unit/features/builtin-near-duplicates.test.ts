// The builtin image features find near-duplicates: on demo data, whose generator knows which
// files are re-encoded, resized or cropped copies of one scene, each member of a planted
// group has another member of its group as its nearest neighbour (cosine of the global
// descriptor) among all images. This is what SemDedup and the near-duplicate rate rely on.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../../main/core/demo/generate';
import type { DemoManifest } from '../../../main/core/demo/manifest';
import { createBuiltinEncoder } from '../../../main/core/features/builtin/encoder';
import type { EncodedImage } from '../../../main/core/features/encoder';
import { ImageError } from '../../../main/core/image/errors';
import { tempDir } from '../../helpers/tmp';

// ~50 planted groups, ~120 group members: a miss rate of 5 % is 6 misses.
const COUNT = 1000;
const tmp = tempDir('tldr-neardup-');
let manifest: DemoManifest;
const vectors = new Map<string, Float32Array>();

beforeAll(async () => {
  const outDir = path.join(tmp.dir, 'demo');
  manifest = await generateDemo({ outDir, seed: 11, count: COUNT });
  const encoder = createBuiltinEncoder();
  const items = manifest.items;
  for (let s = 0; s < items.length; s += 64) {
    const batch = items.slice(s, s + 64);
    const out = await encoder.encodeImages(
      batch.map((it) => readFileSync(path.join(outDir, 'dataset', it.image))),
    );
    out.forEach((r, i) => {
      if (!(r instanceof ImageError)) vectors.set(batch[i]!.key, (r as EncodedImage).global);
    });
  }
}, 240_000);

afterAll(() => tmp.cleanup());

describe('builtin features on planted near-duplicates', () => {
  it('make the members of each group each other’s nearest neighbours in ≥ 95 % of cases', () => {
    const keys = [...vectors.keys()];
    const groupOf = new Map<string, number>();
    manifest.planted.nearDuplicateGroups.forEach((g, i) => g.forEach((k) => groupOf.set(k, i)));
    // Every decodable file was encoded; only the planted corrupt files were not.
    const corrupt = manifest.items.filter((i) => i.plant === 'corrupt_file').length;
    expect(keys.length).toBe(manifest.items.length - corrupt);

    const dot = (a: Float32Array, b: Float32Array) => {
      let s = 0;
      for (let d = 0; d < a.length; d++) s += a[d]! * b[d]!;
      return s;
    };
    let members = 0;
    let hits = 0;
    const misses: string[] = [];
    for (const k of keys) {
      const g = groupOf.get(k);
      if (g === undefined) continue;
      const v = vectors.get(k)!;
      let best = '';
      let bestSim = -Infinity;
      for (const o of keys) {
        if (o === k) continue;
        const sim = dot(v, vectors.get(o)!);
        if (sim > bestSim) {
          bestSim = sim;
          best = o;
        }
      }
      members++;
      if (groupOf.get(best) === g) hits++;
      else misses.push(`${k} → ${best}`);
    }
    expect(members).toBeGreaterThanOrEqual(80);
    expect(hits / members, misses.join(', ')).toBeGreaterThanOrEqual(0.95);
  });
});
