// A small world of coded images with captions: backgrounds fill most patches with their own
// codes; each object shows as a few patches whose codes depend on its kind and colour.
export const OBJECTS = ['ball', 'tree', 'sun', 'car'] as const;
export const COLOURS = ['red', 'blue', 'yellow'] as const;
export const SCENES = ['grass', 'sea', 'snow'] as const;

export interface WorldImage {
  imageKey: string;
  codes: Int32Array;
  caption: string;
  objects: Array<{ name: string; colour: string; patches: number[] }>;
  scene: string;
}

export const WORLD_T = 64;
const BG_CODES = 5;
/** Codes: per scene 5; per (object, colour) 1; per object 1 shape code; 4 noise codes. */
export const WORLD_K = SCENES.length * BG_CODES + OBJECTS.length * COLOURS.length + OBJECTS.length + 4;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function makeWorld(n: number, seed = 1): WorldImage[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const out: WorldImage[] = [];
  for (let i = 0; i < n; i++) {
    const si = Math.floor(r() * SCENES.length);
    const codes = Int32Array.from({ length: WORLD_T }, () =>
      r() < 0.05 ? WORLD_K - 1 - Math.floor(r() * 4) : si * BG_CODES + Math.floor(r() * BG_CODES),
    );
    const count = r() < 0.5 ? 1 : 2;
    const objects: WorldImage['objects'] = [];
    const used = new Set<number>();
    for (let o = 0; o < count; o++) {
      let oi = Math.floor(r() * OBJECTS.length);
      while (used.has(oi)) oi = (oi + 1) % OBJECTS.length;
      used.add(oi);
      const ci = Math.floor(r() * COLOURS.length);
      const start = o * 32 + Math.floor(r() * 20);
      const patches = [start, start + 1, start + 2, start + 8, start + 9, start + 10];
      for (const [j, t] of patches.entries()) {
        codes[t] =
          j % 3 === 2
            ? SCENES.length * BG_CODES + OBJECTS.length * COLOURS.length + oi
            : SCENES.length * BG_CODES + oi * COLOURS.length + ci;
      }
      objects.push({ name: OBJECTS[oi]!, colour: COLOURS[ci]!, patches });
    }
    const scene = SCENES[si]!;
    const nps = objects.map((o) => `${r() < 0.8 ? `a ${o.colour}` : 'a'} ${o.name}`);
    const prefix = pick(['', '', 'a photo of ', 'a picture of ']);
    const caption = `${prefix}${nps.join(pick([' and ', ' next to ']))} ${pick(['on the', 'in the'])} ${scene}`;
    out.push({ imageKey: `img${i}`, codes, caption, objects, scene });
  }
  return out;
}
