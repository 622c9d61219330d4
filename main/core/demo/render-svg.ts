// Scene → SVG text (pure). Backgrounds get a little seeded texture (grass blades,
// waves, sand grains, snowflakes, stars, wallpaper) so patches are not flat colour.
import { mulberry32, intBetween, pick, uniform, type Rng } from './prng';
import type { Scene } from './scene';
import { drawObject } from './shapes';
import { hex } from './vocabulary';

type Rgb = readonly [number, number, number];

const n = (v: number) => (Math.round(v * 10) / 10).toString();

function jitter(rng: Rng, c: Rgb, amount = 12): string {
  return hex([
    c[0] + uniform(rng, -amount, amount),
    c[1] + uniform(rng, -amount, amount),
    c[2] + uniform(rng, -amount, amount),
  ]);
}

function gradient(id: string, top: string, bottom: string): string {
  return `<linearGradient id="${id}" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${top}"/><stop offset="1" stop-color="${bottom}"/></linearGradient>`;
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

function background(scene: Scene, rng: Rng): string {
  const { size: s, horizon: h } = scene;
  const sky = (top: Rgb, bottom: Rgb) =>
    `<defs>${gradient('sky', jitter(rng, top), jitter(rng, bottom))}</defs><rect width="${s}" height="${s}" fill="url(#sky)"/>`;
  const ground = (top: Rgb, bottom: Rgb, y = h) =>
    `<defs>${gradient('ground', jitter(rng, top), jitter(rng, bottom))}</defs><rect y="${n(y)}" width="${s}" height="${n(s - y)}" fill="url(#ground)"/>`;
  switch (scene.background) {
    case 'sky':
      return sky([70, 135, 215], [195, 225, 255]);
    case 'grass':
      return (
        sky([90, 155, 230], [200, 228, 250]) +
        ground([95, 175, 80], [55, 130, 50]) +
        scatter(rng, 70, 0, s, h + 3, s, (x, y) => {
          const len = uniform(rng, 3, 7) * (1 + (y - h) / s);
          return `<path d="M${n(x)},${n(y)}l${n(uniform(rng, -2, 2))},${n(-len)}" stroke="${pick(rng, ['#3d8a35', '#6cc35a', '#2f7a2a'])}" stroke-width="1.2"/>`;
        })
      );
    case 'sea':
      return (
        sky([110, 175, 235], [210, 232, 250]) +
        ground([40, 120, 185], [15, 70, 130]) +
        scatter(rng, 28, 0, s, h + 4, s, (x, y) => {
          const w = uniform(rng, 5, 11) * (1 + (y - h) / s);
          return `<path d="M${n(x)},${n(y)}q${n(w / 2)},${n(-w / 3)} ${n(w)},0" stroke="#9fd0f0" stroke-width="1.3" fill="none"/>`;
        })
      );
    case 'beach': {
      const strip = s * 0.05;
      return (
        sky([110, 180, 240], [215, 236, 252]) +
        `<rect y="${n(h)}" width="${s}" height="${n(strip)}" fill="${jitter(rng, [40, 130, 190], 8)}"/>` +
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
        )
      );
    }
    case 'snow':
      return (
        sky([185, 205, 228], [225, 235, 245]) +
        ground([250, 251, 255], [220, 230, 245]) +
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
        )
      );
    case 'night':
      return (
        sky([8, 12, 45], [35, 45, 100]) +
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
        `<path d="M0,${n(h + 6)}Q${n(s * 0.3)},${n(h - 8)} ${n(s * 0.6)},${n(h + 2)}T${s},${n(h - 2)}V${s}H0Z" fill="${jitter(rng, [30, 48, 36], 6)}"/>`
      );
    case 'room': {
      const wall = pick(rng, [
        [236, 222, 196],
        [200, 220, 235],
        [215, 232, 205],
        [240, 210, 215],
      ] as Rgb[]);
      const stripes = intBetween(rng, 6, 12);
      let paper = '';
      for (let i = 0; i < stripes; i++) {
        paper += `<rect x="${n(((i + 0.5) * s) / stripes)}" width="${n(s / stripes / 4)}" height="${n(h)}" fill="#fff" opacity="0.18"/>`;
      }
      let planks = '';
      for (let y = h + 10; y < s; y += uniform(rng, 12, 20)) {
        planks += `<path d="M0,${n(y)}H${s}" stroke="#6e4a26" stroke-width="1" opacity="0.6"/>`;
      }
      return (
        `<rect width="${s}" height="${s}" fill="${jitter(rng, wall, 8)}"/>${paper}` +
        ground([170, 118, 66], [130, 85, 45]) +
        planks +
        `<rect y="${n(h)}" width="${s}" height="3" fill="#d9a66a"/>`
      );
    }
  }
}

/** The whole picture as SVG, `scene.size` pixels square. */
export function sceneToSvg(scene: Scene): string {
  const rng = mulberry32(scene.styleSeed);
  const s = scene.size;
  const things = scene.objects.map((o) => drawObject(o.name, o.colour, o.box)).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${s}" height="${s}" viewBox="0 0 ${s} ${s}">${background(scene, rng)}${things}</svg>`;
}
