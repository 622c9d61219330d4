import { describe, expect, it } from 'vitest';
import { FREQUENT_WORD_CAPTIONS } from '../../../main/core/demo/captions';
import { planDemo, plantCounts } from '../../../main/core/demo/plan';
import { hashSeed, mulberry32, shuffle } from '../../../main/core/demo/prng';
import { OBJECT_NAMES, objectNouns, type ObjectName } from '../../../main/core/demo/vocabulary';
import { tokenize } from '../../../main/core/text/tokenize';

const plan = planDemo(1, 3000, 224);

/** Whether `caption` names `name` by one of its nouns, as whole words. */
function names(caption: string, name: ObjectName): boolean {
  const text = ` ${tokenize(caption).join(' ')} `;
  return objectNouns(name).some((noun) => text.includes(` ${tokenize(noun).join(' ')} `));
}

describe('prng', () => {
  it('is deterministic and seed-dependent', () => {
    const a = mulberry32(5);
    const b = mulberry32(5);
    const c = mulberry32(6);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
    expect(hashSeed(1, 'scene', 2)).not.toBe(hashSeed(1, 'scene', 3));
    expect(shuffle(mulberry32(1), [1, 2, 3, 4, 5, 6]).sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('planDemo', () => {
  it('is a pure function of seed, count and size', () => {
    expect(JSON.stringify(planDemo(3, 200, 224))).toBe(JSON.stringify(planDemo(3, 200, 224)));
    expect(JSON.stringify(planDemo(4, 200, 224))).not.toBe(JSON.stringify(planDemo(3, 200, 224)));
  });

  it('has count items with keys 000000000…, in order', () => {
    expect(plan.items).toHaveLength(3000);
    expect(plan.items[42]!.key).toBe('000000042');
    expect(new Set(plan.items.map((i) => i.key)).size).toBe(3000);
  });

  it('plants each defect in the intended proportion', () => {
    const by = (p: string) => plan.items.filter((i) => i.plant === p);
    const scenes = plan.scenes.length;
    const groups = new Set(by('near_duplicate').map((i) => i.duplicate!.group));
    expect(groups.size / scenes).toBeGreaterThan(0.045);
    expect(groups.size / scenes).toBeLessThan(0.055);
    for (const g of groups) {
      const members = plan.items.filter((i) => i.duplicate?.group === g);
      expect(members.filter((m) => m.duplicate!.role === 'original')).toHaveLength(1);
      expect(members.length).toBeGreaterThanOrEqual(2);
      expect(members.length).toBeLessThanOrEqual(3);
      expect(new Set(members.map((m) => m.scene)).size).toBe(1);
    }
    expect(by('mismatched_caption')).toHaveLength(150);
    expect(by('frequent_words_caption')).toHaveLength(90);
    expect(by('corrupt_file')).toHaveLength(15);
    expect(new Set(by('corrupt_file').map((i) => i.corruption))).toEqual(
      new Set(['truncated', 'empty', 'random']),
    );
    expect(plantCounts(3000)).toEqual({ groups: 140, mismatched: 150, frequent: 90, corrupt: 15 });
  });

  it('writes captions that name every drawn thing', () => {
    const honest = plan.items.filter(
      (i) => i.plant !== 'mismatched_caption' && i.plant !== 'frequent_words_caption',
    );
    expect(honest.length).toBeGreaterThan(2700);
    for (const item of honest) {
      for (const o of item.objects)
        expect(names(item.caption, o.name), `${item.caption} / ${o.name}`).toBe(true);
      expect(item.trueCaption).toBe(item.caption);
    }
  });

  it('gives mismatched items a caption of another scene with other things', () => {
    for (const item of plan.items.filter((i) => i.plant === 'mismatched_caption')) {
      const donor = plan.scenes[item.captionFromScene!]!;
      expect(item.captionFromScene).not.toBe(item.scene);
      for (const o of item.objects) expect(names(item.caption, o.name), item.caption).toBe(false);
      for (const o of donor.objects) expect(names(item.caption, o.name), item.caption).toBe(true);
      for (const o of item.objects) expect(names(item.trueCaption, o.name)).toBe(true);
    }
  });

  it('makes frequent-word captions only of the corpus’s 30 most frequent words', () => {
    const counts = new Map<string, number>();
    for (const item of plan.items)
      for (const w of tokenize(item.caption)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const top = new Set(
      [...counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 30)
        .map(([w]) => w),
    );
    const planted = plan.items.filter((i) => i.plant === 'frequent_words_caption');
    for (const item of planted) {
      expect(FREQUENT_WORD_CAPTIONS).toContain(item.caption);
      for (const w of tokenize(item.caption)) expect(top.has(w), w).toBe(true);
    }
    // And the distribution has a long tail: many words are rare.
    const rare = [...counts.values()].filter((n) => n < 5).length;
    expect(counts.size).toBeGreaterThan(200);
    expect(rare).toBeGreaterThan(20);
  });

  it('keeps boxes inside the picture, mostly apart, using the whole vocabulary', () => {
    const seen = new Set<string>();
    for (const item of plan.items) {
      for (const o of item.objects) {
        seen.add(o.name);
        const b = o.box;
        expect(b.width).toBeGreaterThan(0);
        expect(b.height).toBeGreaterThan(0);
        expect(b.x).toBeGreaterThanOrEqual(0);
        expect(b.y).toBeGreaterThanOrEqual(0);
        expect(b.x + b.width).toBeLessThanOrEqual(item.width);
        expect(b.y + b.height).toBeLessThanOrEqual(item.height);
      }
    }
    expect([...seen].sort()).toEqual([...OBJECT_NAMES].sort());
    for (const scene of plan.scenes) {
      expect(scene.objects.length).toBeGreaterThanOrEqual(1);
      expect(scene.objects.length).toBeLessThanOrEqual(3);
      for (const o of scene.objects)
        if (o.zone === 'sky') expect(o.box.y + o.box.height).toBeLessThanOrEqual(scene.horizon);
    }
  });
});
