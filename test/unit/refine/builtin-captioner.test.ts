import { describe, expect, it } from 'vitest';
import { learnBuiltinCaptioner } from '../../../main/core/refine/builtin-captioner';
import { describeCoded, learnCrossFitCaptioner } from '../../../main/core/refine/cross-fit-captioner';
import { imageFold } from '../../../main/core/refine/dataset-codes';
import { describeCodes } from '../../../main/core/refine/phrase';
import { WordRole } from '../../../main/core/refine/word-roles';
import { COLOURS, makeWorld, OBJECTS, SCENES, WORLD_K, WORLD_T } from './synthetic-world';

const world = makeWorld(800);
const opts = { k: WORLD_K, patchCount: WORLD_T };

describe('builtin captioner on a synthetic world', () => {
  const cf = learnCrossFitCaptioner(() => world, { ...opts, folds: 2 });

  it('learns the part each word plays from codes and captions alone', () => {
    for (const c of cf.models) {
      const role = (w: string): number => c.roles.role[c.association.index.get(w)!]!;
      for (const o of OBJECTS) expect(role(o), o).toBe(WordRole.object);
      for (const s of SCENES) expect(role(s), s).toBe(WordRole.scene);
      for (const col of COLOURS) expect(role(col), col).toBe(WordRole.modifier);
      // Function words are not predicted by the image.
      for (const f of ['photo', 'picture', 'next', 'to', 'on', 'in']) {
        const j = c.association.index.get(f);
        if (j !== undefined) expect(c.roles.role[j], f).toBe(WordRole.none);
      }
    }
  });

  it('names the objects with their own colours, and the setting', () => {
    let objectHits = 0;
    let colourRight = 0;
    let colourSaid = 0;
    let sceneHits = 0;
    for (const im of world) {
      const d = describeCoded(cf, im.imageKey, im.codes);
      const names = new Set(im.objects.map((o) => o.name));
      if (d.objects.every((t) => names.has(t.word)) && d.objects.length === im.objects.length) objectHits++;
      for (const t of d.objects) {
        const o = im.objects.find((x) => x.name === t.word);
        if (o && t.modifier) {
          colourSaid++;
          if (t.modifier === o.colour) colourRight++;
        }
      }
      if (d.scene?.word === im.scene) sceneHits++;
    }
    expect(objectHits / world.length).toBeGreaterThan(0.9);
    expect(colourRight / colourSaid).toBeGreaterThan(0.9);
    expect(sceneHits / world.length).toBeGreaterThan(0.95);
  });

  it('writes a phrase with the captions’ articles and connectors', () => {
    const im = world.find((x) => x.objects.length === 2)!;
    const d = describeCoded(cf, im.imageKey, im.codes);
    const colour = `((${COLOURS.join('|')}) )?`;
    expect(d.phrase).toMatch(
      new RegExp(`^a ${colour}\\w+ and a ${colour}\\w+ (on|in) the (${SCENES.join('|')})$`),
    );
    const one = world.find((x) => x.objects.length === 1)!;
    expect(describeCoded(cf, one.imageKey, one.codes).phrase).toMatch(/^a (\w+ )?\w+ (on|in) the \w+$/);
  });

  it('cross-fits by image: each image is described by the model calibrated on its fold', () => {
    expect(cf.models).toHaveLength(2);
    const counts = [0, 0];
    for (const im of world) counts[imageFold(im.imageKey, 2)]!++;
    expect(cf.models.map((m) => m.statsImages)).toEqual(counts);
  });

  it('says nothing about an image without codes', () => {
    const c = learnBuiltinCaptioner(() => world, opts);
    expect(describeCodes(c, new Int32Array(WORLD_T).fill(-1))).toEqual({ objects: [], phrase: '' });
  });
});
