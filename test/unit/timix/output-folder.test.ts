import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stageOutputFolder } from '../../../main/core/timix/output-folder';
import { RecipeWriter } from '../../../main/core/timix/recipe-writer';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('tldr-timix-out-');
afterAll(() => tmp.cleanup());

describe('export folders', () => {
  it('are written under a temporary name and appear only on commit', async () => {
    const out = path.join(tmp.dir, 'a', 'mix');
    const st = await stageOutputFolder(out);
    expect(existsSync(out)).toBe(false);
    const w = await RecipeWriter.open(path.join(st.dir, 'recipe.json'), { format: 'x', seed: 1 });
    await w.writeBatch({ index: 0, s: 5, lambda: 231 / 256, samples: [] });
    await w.writeBatch({ index: 1, s: 6, lambda: 220 / 256, samples: [] });
    await w.close({ counts: { samples: 0 } });
    expect(await st.commit()).toBe(out);
    expect(readdirSync(path.dirname(out))).toEqual(['mix']);
    expect(JSON.parse(readFileSync(path.join(out, 'recipe.json'), 'utf8'))).toEqual({
      format: 'x',
      seed: 1,
      batches: [
        { index: 0, s: 5, lambda: 231 / 256, samples: [] },
        { index: 1, s: 6, lambda: 220 / 256, samples: [] },
      ],
      counts: { samples: 0 },
    });
  });

  it('never overwrite, and leave nothing behind when discarded', async () => {
    const taken = path.join(tmp.dir, 'taken');
    mkdirSync(taken);
    await expect(stageOutputFolder(taken)).rejects.toThrow(/exists/);
    const out = path.join(tmp.dir, 'b');
    const st = await stageOutputFolder(out);
    mkdirSync(out); // someone else took the name meanwhile
    await expect(st.commit()).rejects.toThrow(/appeared/);
    await st.discard();
    expect(readdirSync(tmp.dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });
});
