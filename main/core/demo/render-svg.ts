// Scene → SVG text (pure). Backgrounds get small seeded texture (grass blades, waves,
// sand grains, snowflakes, stars, wallpaper) so patches are not flat colour, and
// large-scale structure of their own (gradient direction and colours, distant hills,
// islands, a soft light field), so that two scenes holding the same few things are
// still different pictures: only the planted copies should look alike.
import { encodePngRgba } from './png';
import { intBetween, mulberry32, pick, uniform, chance, type Rng } from './prng';
import type { Scene } from './scene';
import { drawObject } from './shapes';
import { hex } from './vocabulary';

type Rgb = readonly [number, number, number];

const n = (v: number) => (Math.round(v * 10) / 10).toString();

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
  a[2] + (b[2] - a[2]) * t,
];

function jitterRgb(rng: Rng, c: Rgb, amount: number): Rgb {
  return [
    c[0] + uniform(rng, -amount, amount),
    c[1] + uniform(rng, -amount, amount),
    c[2] + uniform(rng, -amount, amount),
  ];
}

function jitter(rng: Rng, c: Rgb, amount = 12): string {
  return hex(jitterRgb(rng, c, amount));
}

/**
 * A linear gradient over the box [x0, x1] × [y0, y1] (pixels), running `angle` degrees
 * away from straight down, spanning the box exactly (its corners get offsets 0 and 1).
 */
function gradient(
  id: string,
  angle: number,
  box: readonly [number, number, number, number],
  stops: readonly (readonly [number, Rgb])[],
): string {
  const [x0, y0, x1, y1] = box;
  const a = (angle * Math.PI) / 180;
  const ux = Math.sin(a);
  const uy = Math.cos(a);
  const half = (Math.abs(ux) * (x1 - x0) + Math.abs(uy) * (y1 - y0)) / 2;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const s = stops.map(([o, c]) => `<stop offset="${+o.toFixed(3)}" stop-color="${hex(c)}"/>`);
  return `<linearGradient id="${id}" gradientUnits="userSpaceOnUse" x1="${n(cx - ux * half)}" y1="${n(cy - uy * half)}" x2="${n(cx + ux * half)}" y2="${n(cy + uy * half)}">${s.join('')}</linearGradient>`;
}

function scatter(
  rng: Rng,
  count: number,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  draw: (x: number, y: number) => string,
): string {
  let out = '';
  for (let i = 0; i < count; i++) out += draw(uniform(rng, x0, x1), uniform(rng, y0, y1));
  return out;
}

/**
 * A smooth random skyline between x0 and x1 whose peaks rise up to `height` above
 * `base`, closed down to `bottom`: distant hills, islands, a headland.
 */
function ridge(
  rng: Rng,
  x0: number,
  x1: number,
  base: number,
  height: number,
  bottom: number,
  fill: string,
  taper = false,
): string {
  const waves = [1, 2, 3].map((k) => ({
    f: k * uniform(rng, 0.6, 1.4),
    p: uniform(rng, 0, 2 * Math.PI),
    a: uniform(rng, 0.3, 1) / k,
  }));
  const total = waves.reduce((t, w) => t + w.a, 0);
  const steps = Math.max(4, Math.round((x1 - x0) / 8));
  let d = `M${n(x0)},${n(bottom)}`;
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    let v = 0;
    for (const w of waves) v += w.a * Math.sin(2 * Math.PI * w.f * t + w.p);
    // v ∈ [−total, total] → [0.3, 1] of the height; islands taper to the water at both ends.
    let rise = 0.3 + 0.7 * (0.5 + v / (2 * total));
    if (taper) rise *= Math.sin(Math.PI * t) ** 0.6;
    d += `L${n(x0 + t * (x1 - x0))},${n(base - rise * height)}`;
  }
  return `<path d="${d}L${n(x1)},${n(bottom)}Z" fill="${fill}"/>`;
}

/**
 * A soft field of light and shade over the whole background: a few-pixel RGBA image,
 * smoothly scaled up, at a random offset. Different in every scene, and lying under
 * the things, so their colours stay as named.
 */
function lightField(rng: Rng, s: number, maxAlpha: number, shade: Rgb): string {
  const cells = intBetween(rng, 3, 5);
  const px = new Uint8Array(cells * cells * 4);
  for (let i = 0; i < cells * cells; i++) {
    const c = chance(rng, 0.5) ? ([255, 255, 255] as const) : shade;
    px[i * 4] = c[0];
    px[i * 4 + 1] = c[1];
    px[i * 4 + 2] = c[2];
    px[i * 4 + 3] = Math.round(255 * uniform(rng, 0, maxAlpha));
  }
  // Outer pixel centres sit on or beyond the picture's edges: interpolated everywhere.
  const cell = (s / (cells - 1)) * uniform(rng, 1, 1.3);
  const side = cell * cells;
  const x = -cell / 2 - uniform(rng, 0, side - cell - s);
  const y = -cell / 2 - uniform(rng, 0, side - cell - s);
  const uri = `data:image/png;base64,${encodePngRgba(cells, cells, px).toString('base64')}`;
  return `<image x="${n(x)}" y="${n(y)}" width="${n(side)}" height="${n(side)}" preserveAspectRatio="none" href="${uri}"/>`;
}

const WARM_GLOW: Rgb = [255, 196, 150];

function background(scene: Scene, rng: Rng): string {
  const { size: s, horizon: h } = scene;
  let defs = '';
  /** A sky with a tilted gradient over its visible part, sometimes warm near the horizon. */
  const sky = (top: Rgb, bottom: Rgb, amount = 22, glow: Rgb | null = WARM_GLOW) => {
    const t = jitterRgb(rng, top, amount);
    const b = jitterRgb(rng, bottom, amount);
    const stops: [number, Rgb][] =
      glow && chance(rng, 0.4)
        ? [
            [0, t],
            [uniform(rng, 0.45, 0.8), b],
            [1, mix(b, glow, uniform(rng, 0.25, 0.5))],
          ]
        : [
            [0, t],
            [1, b],
          ];
    defs += gradient('sky', uniform(rng, -40, 40), [0, 0, s, Math.max(h, s * 0.3)], stops);
    return { svg: `<rect width="${s}" height="${s}" fill="url(#sky)"/>`, bottom: b };
  };
  const ground = (top: Rgb, bottom: Rgb, y = h, amount = 14) => {
    defs += gradient('ground', uniform(rng, -30, 30), [0, y, s, s], [
      [0, jitterRgb(rng, top, amount)],
      [1, jitterRgb(rng, bottom, amount)],
    ]);
    return `<rect y="${n(y)}" width="${s}" height="${n(s - y)}" fill="url(#ground)"/>`;
  };
  /** Distant hills on the horizon, coloured between the sky and `land`. */
  const hills = (p: number, skyBottom: Rgb, land: Rgb, maxHeight = 0.15) =>
    chance(rng, p)
      ? ridge(
          rng,
          0,
          s,
          h,
          s * uniform(rng, 0.04, maxHeight),
          h + 2,
          hex(jitterRgb(rng, mix(skyBottom, land, uniform(rng, 0.35, 0.65)), 10)),
        )
      : '';
  /** An island or headland somewhere along the horizon. */
  const island = (p: number, fill: Rgb, edge: boolean) => {
    if (!chance(rng, p)) return '';
    const w = s * uniform(rng, 0.2, 0.6);
    const x0 = edge ? (chance(rng, 0.5) ? -w * 0.3 : s - w * 0.7) : uniform(rng, -w * 0.2, s - w * 0.8);
    return ridge(rng, x0, x0 + w, h, s * uniform(rng, 0.02, 0.07), h + 1, jitter(rng, fill, 10), true);
  };
  let body: string;
  let shade: Rgb = [20, 30, 70];
  let maxAlpha = 0.3;
  switch (scene.background) {
    case 'sky':
      body = sky([70, 135, 215], [195, 225, 255]).svg;
      break;
    case 'grass': {
      const top = sky([90, 155, 230], [200, 228, 250]);
      body =
        top.svg +
        hills(0.75, top.bottom, [60, 120, 80]) +
        ground([95, 175, 80], [55, 130, 50]) +
        scatter(rng, 70, 0, s, h + 3, s, (x, y) => {
          const len = uniform(rng, 3, 7) * (1 + (y - h) / s);
          return `<path d="M${n(x)},${n(y)}l${n(uniform(rng, -2, 2))},${n(-len)}" stroke="${pick(rng, ['#3d8a35', '#6cc35a', '#2f7a2a'])}" stroke-width="1.2"/>`;
        });
      break;
    }
    case 'sea': {
      const top = sky([110, 175, 235], [210, 232, 250]);
      // Deep blue, teal or grey-blue water: the sea is half the picture.
      const water = pick(rng, [
        [
          [40, 120, 185],
          [15, 70, 130],
        ],
        [
          [30, 140, 160],
          [10, 80, 100],
        ],
        [
          [70, 110, 160],
          [25, 50, 95],
        ],
      ] as [Rgb, Rgb][]);
      body =
        top.svg +
        island(0.75, [60, 100, 80], false) +
        ground(water[0], water[1], h, 20) +
        scatter(rng, 28, 0, s, h + 4, s, (x, y) => {
          const w = uniform(rng, 5, 11) * (1 + (y - h) / s);
          return `<path d="M${n(x)},${n(y)}q${n(w / 2)},${n(-w / 3)} ${n(w)},0" stroke="#9fd0f0" stroke-width="1.3" fill="none"/>`;
        });
      maxAlpha = 0.4;
      break;
    }
    case 'beach': {
      const strip = s * uniform(rng, 0.03, 0.08);
      const top = sky([110, 180, 240], [215, 236, 252]);
      body =
        top.svg +
        island(0.6, [70, 110, 85], true) +
        `<rect y="${n(h)}" width="${s}" height="${n(strip + 1)}" fill="${jitter(rng, [40, 130, 190], 12)}"/>` +
        ground([238, 220, 170], [220, 195, 140], h + strip) +
        scatter(
          rng,
          90,
          0,
          s,
          h + strip,
          s,
          (x, y) =>
            `<circle cx="${n(x)}" cy="${n(y)}" r="${n(uniform(rng, 0.5, 1.2))}" fill="${pick(rng, ['#c9ad74', '#f7ead0', '#b89a62'])}"/>`,
        );
      break;
    }
    case 'snow': {
      const top = sky([185, 205, 228], [225, 235, 245], 14, null);
      body =
        top.svg +
        hills(0.8, top.bottom, [150, 165, 190]) +
        ground([250, 251, 255], [220, 230, 245], h, 6) +
        scatter(
          rng,
          45,
          0,
          s,
          0,
          h,
          (x, y) => `<circle cx="${n(x)}" cy="${n(y)}" r="${n(uniform(rng, 0.8, 2))}" fill="#fff"/>`,
        ) +
        scatter(
          rng,
          12,
          0,
          s,
          h + 4,
          s,
          (x, y) =>
            `<ellipse cx="${n(x)}" cy="${n(y)}" rx="${n(uniform(rng, 6, 14))}" ry="2" fill="#d5e0f0" opacity="0.8"/>`,
        );
      shade = [60, 80, 130];
      maxAlpha = 0.25;
      break;
    }
    case 'night': {
      const top = sky([8, 12, 45], [35, 45, 100], 10, [90, 60, 120]);
      body =
        top.svg +
        scatter(
          rng,
          45,
          0,
          s,
          0,
          h - 4,
          (x, y) =>
            `<circle cx="${n(x)}" cy="${n(y)}" r="${n(uniform(rng, 0.5, 1.4))}" fill="${pick(rng, ['#fff', '#ffe9a8', '#cfe0ff'])}"/>`,
        ) +
        // The dark land is itself a hilly skyline, a little above and below the horizon.
        ridge(rng, 0, s, h + s * 0.03, s * uniform(rng, 0.04, 0.09), s, jitter(rng, [30, 48, 36], 8));
      shade = [0, 0, 10];
      maxAlpha = 0.18;
      break;
    }
    case 'room': {
      const wall = jitterRgb(
        rng,
        pick(rng, [
          [236, 222, 196],
          [200, 220, 235],
          [215, 232, 205],
          [240, 210, 215],
          [225, 215, 240],
          [245, 235, 200],
        ] as Rgb[]),
        16,
      );
      defs += gradient('wall', uniform(rng, -60, 60), [0, 0, s, h], [
        [0, wall],
        [1, mix(wall, [120, 100, 80], uniform(rng, 0.05, 0.3))],
      ]);
      const stripes = intBetween(rng, 6, 12);
      const stripeOpacity = uniform(rng, 0.1, 0.25);
      let paper = '';
      for (let i = 0; i < stripes; i++) {
        paper += `<rect x="${n(((i + 0.5) * s) / stripes)}" width="${n(s / stripes / 4)}" height="${n(h)}" fill="#fff" opacity="${stripeOpacity.toFixed(2)}"/>`;
      }
      // Sometimes a darker band along the lower wall.
      if (chance(rng, 0.5)) {
        const band = h * uniform(rng, 0.15, 0.45);
        paper += `<rect y="${n(h - band)}" width="${s}" height="${n(band)}" fill="${hex(mix(wall, [90, 70, 50], uniform(rng, 0.15, 0.35)))}"/>`;
      }
      const wood = pick(rng, [
        [
          [170, 118, 66],
          [130, 85, 45],
        ],
        [
          [200, 160, 110],
          [165, 125, 80],
        ],
        [
          [175, 170, 160],
          [140, 135, 125],
        ],
      ] as [Rgb, Rgb][]);
      let planks = '';
      for (let y = h + 10; y < s; y += uniform(rng, 12, 20)) {
        planks += `<path d="M0,${n(y)}H${s}" stroke="#6e4a26" stroke-width="1" opacity="0.6"/>`;
      }
      body =
        `<rect width="${s}" height="${s}" fill="url(#wall)"/>${paper}` +
        ground(wood[0], wood[1]) +
        planks +
        `<rect y="${n(h)}" width="${s}" height="3" fill="#d9a66a"/>`;
      shade = [40, 25, 10];
      maxAlpha = 0.4;
      break;
    }
  }
  return `<defs>${defs}</defs>${body}${lightField(rng, s, maxAlpha, shade)}`;
}

/** The whole picture as SVG, `scene.size` pixels square. */
export function sceneToSvg(scene: Scene): string {
  const rng = mulberry32(scene.styleSeed);
  const s = scene.size;
  const things = scene.objects.map((o) => drawObject(o.name, o.colour, o.box)).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${s}" height="${s}" viewBox="0 0 ${s} ${s}">${background(scene, rng)}${things}</svg>`;
}
