// The whole demo decided up front, without I/O: scenes, captions, which items carry
// which planted defect, and the key order. Rendering is then a pure function of it.
import { describeScene, frequentWordsCaption } from './captions';
import { DEMO_RATES, type Corruption, type DemoPlant, type NearDuplicateVariant } from './manifest';
import { chance, intBetween, pick, rngFor, shuffle, uniform } from './prng';
import { composeScene, type Box, type Scene, type SceneObject } from './scene';

export interface PlannedItem {
  key: string;
  /** Base scene index. */
  scene: number;
  /** The objects as they appear in this item's file. */
  objects: SceneObject[];
  width: number;
  height: number;
  caption: string;
  trueCaption: string;
  plant: DemoPlant;
  duplicate?: { group: number; role: 'original' | 'copy'; variant?: NearDuplicateVariant };
  /** Scene index the (mismatched) caption describes; resolved to a key in the manifest. */
  captionFromScene?: number;
  corruption?: Corruption;
}

export interface DemoPlan {
  seed: number;
  size: number;
  scenes: Scene[];
  /** In key order. */
  items: PlannedItem[];
  /** Key of each scene's original (or only) item. */
  sceneKey: string[];
}

export const KEY_DIGITS = 9;

export function demoKey(index: number): string {
  return String(index).padStart(KEY_DIGITS, '0');
}

/** How many items get each plant, for `count` pairs. */
export function plantCounts(count: number): {
  groups: number;
  mismatched: number;
  frequent: number;
  corrupt: number;
} {
  // A group adds 1.5 copies on average: 5 % of scenes ≈ 5 % / 1.075 of pairs.
  const groups = Math.round(
    (count * DEMO_RATES.nearDuplicateScenes) / (1 + 1.5 * DEMO_RATES.nearDuplicateScenes),
  );
  const corruptRaw = Math.round(count * DEMO_RATES.corruptFiles);
  return {
    groups,
    mismatched: Math.round(count * DEMO_RATES.mismatchedCaptions),
    frequent: Math.round(count * DEMO_RATES.frequentWordCaptions),
    // At least one of each kind of corruption once the demo is big enough to spare them.
    corrupt: count >= 200 ? Math.max(3, corruptRaw) : corruptRaw,
  };
}

function pickVariant(
  seed: number,
  scene: number,
  copy: number,
  size: number,
  avoid?: NearDuplicateVariant['kind'],
): NearDuplicateVariant {
  const rng = rngFor(seed, 'variant', scene, copy);
  const kinds = (['reencode', 'resize', 'crop'] as const).filter((k) => k !== avoid);
  const kind = pick(rng, kinds);
  switch (kind) {
    case 'reencode':
      return { kind, quality: intBetween(rng, 45, 75) };
    case 'resize': {
      const side = Math.round(size * (chance(rng, 0.7) ? uniform(rng, 0.55, 0.85) : uniform(rng, 1.15, 1.4)));
      return { kind, width: side, height: side, quality: intBetween(rng, 80, 92) };
    }
    case 'crop': {
      const max = Math.max(1, Math.round(size * 0.04));
      const left = intBetween(rng, 0, max);
      const top = intBetween(rng, 0, max);
      const right = intBetween(rng, 0, max);
      const bottom = intBetween(rng, 0, max);
      return {
        kind,
        left,
        top,
        width: size - left - right,
        height: size - top - bottom,
        quality: intBetween(rng, 82, 92),
      };
    }
  }
}

/** Boxes as they land in a copy's pixels; things cropped away entirely are dropped. */
export function transformObjects(
  objects: SceneObject[],
  size: number,
  v: NearDuplicateVariant,
): SceneObject[] {
  const move = (b: Box): Box | undefined => {
    if (v.kind === 'reencode') return b;
    if (v.kind === 'resize') {
      const sx = v.width / size;
      const sy = v.height / size;
      return {
        x: Math.round(b.x * sx),
        y: Math.round(b.y * sy),
        width: Math.round(b.width * sx),
        height: Math.round(b.height * sy),
      };
    }
    const x0 = Math.max(0, b.x - v.left);
    const y0 = Math.max(0, b.y - v.top);
    const x1 = Math.min(v.width, b.x + b.width - v.left);
    const y1 = Math.min(v.height, b.y + b.height - v.top);
    return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : undefined;
  };
  return objects.flatMap((o) => {
    const box = move(o.box);
    return box ? [{ ...o, box }] : [];
  });
}

function sharesObject(a: Scene, b: Scene): boolean {
  return a.objects.some((o) => b.objects.some((p) => p.name === o.name));
}

export function planDemo(seed: number, count: number, size: number): DemoPlan {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`demo count must be a positive integer, got ${count}`);
  if (!Number.isInteger(size) || size < 32 || size > 2048)
    throw new RangeError(`demo size must be 32–2048, got ${size}`);
  const want = plantCounts(count);
  const groupRng = rngFor(seed, 'groups');
  const copiesPerGroup: number[] = [];
  for (let g = 0; g < want.groups; g++) copiesPerGroup.push(chance(groupRng, 0.5) ? 1 : 2);
  const copies = copiesPerGroup.reduce((a, b) => a + b, 0);
  const base = count - copies;

  const scenes: Scene[] = [];
  for (let i = 0; i < base; i++) scenes.push(composeScene(rngFor(seed, 'scene', i), size));

  // Disjoint roles among base scenes; small demos get what fits.
  const roles = shuffle(
    rngFor(seed, 'roles'),
    Array.from({ length: base }, (_, i) => i),
  );
  let next = 0;
  const take = (n: number): number[] => {
    const taken = roles.slice(next, next + n);
    next += taken.length;
    return taken;
  };
  const originals = take(want.groups);
  const mismatched = take(want.mismatched);
  const frequent = take(want.frequent);
  const corrupt = take(want.corrupt);
  const corruptSet = new Set(corrupt);

  const items: Omit<PlannedItem, 'key'>[] = [];
  const baseItem = new Map<number, Omit<PlannedItem, 'key'>>();
  for (let i = 0; i < base; i++) {
    const scene = scenes[i]!;
    const trueCaption = describeScene(rngFor(seed, 'caption', i), scene);
    const item: Omit<PlannedItem, 'key'> = {
      scene: i,
      objects: scene.objects,
      width: size,
      height: size,
      caption: trueCaption,
      trueCaption,
      plant: 'none',
    };
    items.push(item);
    baseItem.set(i, item);
  }

  mismatched.forEach((i) => {
    const item = baseItem.get(i)!;
    const rng = rngFor(seed, 'mismatch', i);
    // Another scene, not corrupt, sharing no kind of thing with this one.
    const start = intBetween(rng, 0, base - 1);
    for (let k = 0; k < base; k++) {
      const j = (start + k) % base;
      if (j === i || corruptSet.has(j) || sharesObject(scenes[i]!, scenes[j]!)) continue;
      item.caption = describeScene(rng, scenes[j]!);
      item.captionFromScene = j;
      item.plant = 'mismatched_caption';
      break;
    }
  });

  frequent.forEach((i) => {
    const item = baseItem.get(i)!;
    item.caption = frequentWordsCaption(rngFor(seed, 'frequent', i));
    item.plant = 'frequent_words_caption';
  });

  const corruptions: Corruption[] = ['truncated', 'empty', 'random'];
  corrupt.forEach((i, n) => {
    const item = baseItem.get(i)!;
    item.plant = 'corrupt_file';
    item.corruption = corruptions[n % corruptions.length]!;
  });

  originals.forEach((i, g) => {
    const original = baseItem.get(i)!;
    original.plant = 'near_duplicate';
    original.duplicate = { group: g, role: 'original' };
    let previous: NearDuplicateVariant['kind'] | undefined;
    for (let c = 0; c < copiesPerGroup[g]!; c++) {
      const variant = pickVariant(seed, i, c, size, previous);
      previous = variant.kind;
      const rng = rngFor(seed, 'copy-caption', i, c);
      const caption = chance(rng, 0.35) ? original.caption : describeScene(rng, scenes[i]!);
      items.push({
        scene: i,
        objects: transformObjects(scenes[i]!.objects, size, variant),
        width: variant.kind === 'reencode' ? size : variant.width,
        height: variant.kind === 'reencode' ? size : variant.height,
        caption,
        trueCaption: caption,
        plant: 'near_duplicate',
        duplicate: { group: g, role: 'copy', variant },
      });
    }
  });

  // Copies and plants are spread through the key order, not next to their originals.
  shuffle(rngFor(seed, 'order'), items);
  const keyed: PlannedItem[] = items.map((it, idx) => ({ ...it, key: demoKey(idx) }));
  const sceneKey: string[] = new Array<string>(base);
  for (const it of keyed) if (it.duplicate?.role !== 'copy') sceneKey[it.scene] = it.key;
  return { seed, size, scenes, items: keyed, sceneKey };
}
