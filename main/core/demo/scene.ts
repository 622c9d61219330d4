// Composes one scene: a background and 1–3 things placed where they belong (sky,
// ground, water, table), with little overlap so each box is mostly its own object.
import { intBetween, pick, uniform, weighted, type Rng } from './prng';
import {
  BACKGROUNDS,
  COLOURS,
  OBJECTS,
  backgroundKind,
  type BackgroundName,
  type ColourName,
  type ObjectKind,
  type ObjectName,
  type Zone,
} from './vocabulary';

/** Pixel box, integers, in the image's own pixel grid. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SceneObject {
  name: ObjectName;
  colour: ColourName;
  zone: Zone;
  box: Box;
}

export interface Scene {
  background: BackgroundName;
  /** Image side in pixels (scenes are square). */
  size: number;
  /** y of the horizon or table edge in pixels (= size when there is no ground). */
  horizon: number;
  /** In drawing order, back to front. */
  objects: SceneObject[];
  /** Seeds the background's texture and colour jitter. */
  styleSeed: number;
}

const MAX_OVERLAP = 0.12; // of the smaller box's area
const PLACE_TRIES = 40;

function colourDistance(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);
}

function overlapFraction(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / Math.min(a.width * a.height, b.width * b.height);
}

/** The vertical span the box's top may take in `zone`, or undefined if it cannot fit. */
function topRange(
  kind: ObjectKind,
  zone: Zone,
  h: number,
  size: number,
  horizon: number,
): [number, number] | undefined {
  const margin = Math.round(size * 0.02);
  let lo: number;
  let hi: number;
  switch (zone) {
    case 'sky':
      lo = margin;
      hi = Math.min(horizon, size) - h - margin;
      break;
    case 'ground':
    case 'table': {
      // Bottom on the ground, below the horizon; backdrops sit on the horizon itself.
      const minBottom = horizon + size * (kind.backdrop ? 0.02 : 0.06);
      const maxBottom = kind.backdrop ? horizon + size * 0.12 : size - margin;
      lo = minBottom - h;
      hi = Math.min(maxBottom, size - margin) - h;
      break;
    }
    case 'water':
      lo = horizon + size * (kind.name === 'boat' ? 0.02 : 0.04);
      hi = size - margin - h;
      if (kind.name === 'boat') lo = Math.max(lo, horizon + size * 0.08 - h);
      break;
    case 'free':
      lo = margin;
      hi = size - margin - h;
      break;
  }
  lo = Math.max(lo, 0);
  return hi >= lo ? [lo, hi] : undefined;
}

function pickColour(rng: Rng, kind: ObjectKind, zone: Zone, bg: (typeof BACKGROUNDS)[number]): ColourName {
  const behind = zone === 'sky' ? bg.upper : zone === 'free' ? null : bg.lower;
  const visible = kind.colours.filter(
    (c) =>
      colourDistance(COLOURS[c].rgb, behind ?? bg.upper) > 90 &&
      (behind !== null || colourDistance(COLOURS[c].rgb, bg.lower) > 90),
  );
  return pick(rng, visible.length > 0 ? visible : kind.colours);
}

function place(
  rng: Rng,
  kind: ObjectKind,
  zones: Zone[],
  size: number,
  horizon: number,
  taken: Box[],
): { box: Box; zone: Zone } | undefined {
  let scale = 1;
  for (let attempt = 0; attempt < PLACE_TRIES * 3; attempt++) {
    if (attempt > 0 && attempt % PLACE_TRIES === 0) scale *= 0.8;
    const zone = pick(rng, zones);
    let h = uniform(rng, kind.height[0], kind.height[1]) * size * scale;
    let w = h * kind.aspect;
    if (w > size * 0.9) {
      w = size * 0.9;
      h = w / kind.aspect;
    }
    const range = topRange(kind, zone, h, size, horizon);
    if (!range) continue;
    const box: Box = {
      x: Math.round(uniform(rng, size * 0.02, size * 0.98 - w)),
      y: Math.round(uniform(rng, range[0], range[1])),
      width: Math.round(w),
      height: Math.round(h),
    };
    if (taken.every((t) => overlapFraction(t, box) <= MAX_OVERLAP)) return { box, zone };
  }
  return undefined;
}

/** Picks `n` distinct kinds by weight. */
function pickKinds(rng: Rng, candidates: readonly ObjectKind[], n: number): ObjectKind[] {
  const pool = [...candidates];
  const out: ObjectKind[] = [];
  while (out.length < n && pool.length > 0) {
    const k = weighted(
      rng,
      pool.map((c) => [c, c.weight] as const),
    );
    out.push(k);
    pool.splice(pool.indexOf(k), 1);
  }
  return out;
}

export function composeScene(rng: Rng, size: number): Scene {
  const bg = backgroundKind(
    weighted(
      rng,
      BACKGROUNDS.map((b) => [b.name, b.weight] as const),
    ),
  );
  const horizon = bg.horizon[0] === 1 ? size : Math.round(uniform(rng, bg.horizon[0], bg.horizon[1]) * size);
  const n = weighted(rng, [
    [1, 4],
    [2, 4],
    [3, 2],
  ] as const);
  const candidates = OBJECTS.filter(
    (o) => o.zones.some((z) => bg.zones.includes(z)) && !(o.notOn ?? []).includes(bg.name),
  );
  // Largest first: they are the hardest to fit.
  const kinds = pickKinds(rng, candidates, n).sort((a, b) => b.height[1] * b.aspect - a.height[1] * a.aspect);
  const objects: SceneObject[] = [];
  for (const kind of kinds) {
    const zones = kind.zones.filter((z) => bg.zones.includes(z));
    const spot = place(
      rng,
      kind,
      zones,
      size,
      horizon,
      objects.map((o) => o.box),
    );
    if (!spot) continue;
    objects.push({
      name: kind.name,
      colour: pickColour(rng, kind, spot.zone, bg),
      zone: spot.zone,
      box: spot.box,
    });
  }
  if (objects.length === 0) return composeScene(rng, size); // rare: nothing fitted
  // Back to front: backdrops, then things higher in the picture (farther away).
  const backdrop = (o: SceneObject) => (OBJECTS.find((k) => k.name === o.name)?.backdrop ? 0 : 1);
  objects.sort((a, b) => backdrop(a) - backdrop(b) || a.box.y + a.box.height - (b.box.y + b.box.height));
  return { background: bg.name, size, horizon, objects, styleSeed: intBetween(rng, 0, 2 ** 31 - 1) };
}

/** Whether a thing is up in the sky (captions put those "under"/"above" the rest). */
export function isSkyObject(o: SceneObject): boolean {
  return o.zone === 'sky';
}
