// SVG drawings of the demo's things. Each is drawn in a local box 100·aspect × 100
// that the scene scales onto the object's pixel box, so the recorded box is the drawing.
import { COLOURS, hex, objectKind, type ColourName, type ObjectName } from './vocabulary';

type Rgb = readonly [number, number, number];

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
  a[2] + (b[2] - a[2]) * t,
];
const darker = (c: Rgb, t = 0.4) => hex(mix(c, [0, 0, 0], t));
const lighter = (c: Rgb, t = 0.5) => hex(mix(c, [255, 255, 255], t));

const n = (v: number) => (Math.round(v * 10) / 10).toString();

function starPoints(cx: number, cy: number, outer: number, inner: number): string {
  const pts: string[] = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? outer : inner;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    pts.push(`${n(cx + r * Math.cos(a))},${n(cy + r * Math.sin(a))}`);
  }
  return pts.join(' ');
}

function sunRays(): string {
  const rays: string[] = [];
  for (let i = 0; i < 12; i++) {
    const a = (i * Math.PI) / 6;
    const [c, s] = [Math.cos(a), Math.sin(a)];
    rays.push(`M${n(50 + 34 * c)},${n(50 + 34 * s)}L${n(50 + 46 * c)},${n(50 + 46 * s)}`);
  }
  return rays.join('');
}

function flowerPetals(fill: string): string {
  const out: string[] = [];
  for (let i = 0; i < 6; i++) {
    const a = (i * Math.PI) / 3;
    out.push(
      `<circle cx="${n(30 + 16 * Math.cos(a))}" cy="${n(28 + 16 * Math.sin(a))}" r="11" fill="${fill}"/>`,
    );
  }
  return out.join('');
}

/** Body of each drawing, in its local box. `c` is the main colour. */
function drawBody(name: ObjectName, colour: ColourName): string {
  const rgb = COLOURS[colour].rgb;
  const c = hex(rgb);
  const d = darker(rgb);
  const l = lighter(rgb);
  const line = `stroke="${d}" stroke-width="2"`;
  switch (name) {
    case 'ball':
      return `<circle cx="50" cy="50" r="47" fill="${c}" ${line}/><path d="M7,40Q50,18 93,40M7,62Q50,84 93,62" stroke="${l}" stroke-width="7" fill="none"/><circle cx="34" cy="30" r="8" fill="#fff" opacity="0.6"/>`;
    case 'tree':
      return `<rect x="28" y="55" width="14" height="45" fill="#7a4b24"/><circle cx="17" cy="50" r="16" fill="${d}"/><circle cx="53" cy="50" r="16" fill="${d}"/><circle cx="35" cy="30" r="28" fill="${c}"/><circle cx="35" cy="54" r="17" fill="${c}"/>`;
    case 'house':
      return `<rect x="12" y="44" width="76" height="56" fill="${c}" ${line}/><polygon points="2,48 50,3 98,48" fill="${colour === 'brown' ? '#6b2a1a' : d}"/><rect x="42" y="68" width="16" height="32" fill="#6b3e1d"/><rect x="19" y="55" width="16" height="14" fill="#bde3ff" stroke="#444" stroke-width="1.5"/><rect x="65" y="55" width="16" height="14" fill="#bde3ff" stroke="#444" stroke-width="1.5"/>`;
    case 'car':
      return `<path d="M40,42L62,10L122,10L148,42Z" fill="${c}" ${line}/><path d="M52,40L67,16L92,16L92,40ZM98,40L98,16L118,16L138,40Z" fill="#cfe8ff"/><rect x="4" y="40" width="172" height="40" rx="10" fill="${c}" ${line}/><rect x="166" y="50" width="9" height="8" fill="#ffe680"/><circle cx="45" cy="82" r="16" fill="#222"/><circle cx="45" cy="82" r="6" fill="#bbb"/><circle cx="135" cy="82" r="16" fill="#222"/><circle cx="135" cy="82" r="6" fill="#bbb"/>`;
    case 'sun':
      return `<path d="${sunRays()}" stroke="${c}" stroke-width="7" stroke-linecap="round"/><circle cx="50" cy="50" r="28" fill="${c}" stroke="${darker(rgb, 0.15)}" stroke-width="2"/>`;
    case 'cat':
      return `<polygon points="12,44 20,3 46,28" fill="${c}" ${line}/><polygon points="88,44 80,3 54,28" fill="${c}" ${line}/><ellipse cx="50" cy="59" rx="45" ry="39" fill="${c}" ${line}/><ellipse cx="34" cy="52" rx="6" ry="8" fill="#3c3"/><ellipse cx="66" cy="52" rx="6" ry="8" fill="#3c3"/><ellipse cx="34" cy="53" rx="2" ry="6" fill="#111"/><ellipse cx="66" cy="53" rx="2" ry="6" fill="#111"/><polygon points="45,66 55,66 50,73" fill="#f59"/><path d="M50,73Q44,81 38,77M50,73Q56,81 62,77M10,64L36,68M10,74L36,72M90,64L64,68M90,74L64,72" stroke="${colour === 'black' ? '#ddd' : '#222'}" stroke-width="1.5" fill="none"/>`;
    case 'flower':
      return `<rect x="28" y="44" width="4" height="56" fill="#2e7d32"/><ellipse cx="41" cy="76" rx="11" ry="5" fill="#2e7d32" transform="rotate(-30 41 76)"/>${flowerPetals(c)}<circle cx="30" cy="28" r="9" fill="${colour === 'yellow' ? '#8b5a2b' : '#f4c20d'}"/>`;
    case 'boat':
      return `<rect x="77" y="4" width="4" height="58" fill="#5a3a1a"/><path d="M84,8L84,56L136,56Z" fill="${colour === 'white' ? '#e34' : '#fafafa'}"/><path d="M74,16L74,56L36,56Z" fill="${colour === 'white' ? '#e34' : '#eee'}"/><path d="M3,62L157,62L133,97L27,97Z" fill="${c}" ${line}/>`;
    case 'bird':
      return `<polygon points="30,58 2,40 8,72" fill="${d}"/><ellipse cx="70" cy="62" rx="46" ry="27" fill="${c}" ${line}/><circle cx="116" cy="42" r="20" fill="${c}" ${line}/><polygon points="134,36 158,44 134,51" fill="#f5a623"/><circle cx="122" cy="38" r="4" fill="#111"/><path d="M46,56Q74,2 104,50Z" fill="${d}"/>`;
    case 'cloud':
      return `<circle cx="46" cy="62" r="30" fill="${c}"/><circle cx="88" cy="44" r="38" fill="${c}"/><circle cx="130" cy="58" r="32" fill="${c}"/><circle cx="158" cy="72" r="20" fill="${c}"/><rect x="22" y="62" width="142" height="30" rx="15" fill="${c}"/>`;
    case 'star':
      return `<polygon points="${starPoints(50, 53, 49, 20)}" fill="${c}" ${line}/>`;
    case 'fish':
      return `<path d="M116,50L158,16L158,84Z" fill="${c}" ${line}/><path d="M56,22Q74,0 94,24Z" fill="${d}"/><ellipse cx="66" cy="52" rx="58" ry="32" fill="${c}" ${line}/><path d="M88,34Q100,52 88,70" stroke="${d}" stroke-width="3" fill="none"/><circle cx="34" cy="44" r="7" fill="#fff"/><circle cx="32" cy="44" r="3.5" fill="#111"/>`;
    case 'cup':
      return `<path d="M80,36C110,36 110,80 76,80" stroke="${c}" stroke-width="9" fill="none"/><path d="M34,16q-6,-7 0,-14M50,16q-6,-7 0,-14" stroke="#aaa" stroke-width="2" fill="none"/><path d="M10,20L84,20L77,91Q75,98 67,98L27,98Q19,98 17,91Z" fill="${c}" ${line}/><ellipse cx="47" cy="21" rx="37" ry="5" fill="${d}"/>`;
    case 'balloon':
      return `<path d="M35,76Q28,86 36,92Q42,96 35,100" stroke="#555" stroke-width="1.5" fill="none"/><polygon points="30,70 40,70 35,77" fill="${d}"/><ellipse cx="35" cy="36" rx="33" ry="35" fill="${c}" ${line}/><ellipse cx="23" cy="22" rx="6" ry="10" fill="#fff" opacity="0.5" transform="rotate(25 23 22)"/>`;
    case 'mountain':
      return `<polygon points="0,100 75,3 150,100" fill="${c}"/><polygon points="75,3 150,100 104,100" fill="${d}"/><polygon points="75,3 57,27 67,23 75,32 85,23 94,27" fill="#fafafa"/>`;
    case 'heart':
      return `<path d="M55,98C18,72 2,50 2,28C2,12 14,2 30,2C42,2 51,10 55,20C59,10 68,2 80,2C96,2 108,12 108,28C108,50 92,72 55,98Z" fill="${c}" ${line}/><ellipse cx="28" cy="24" rx="9" ry="6" fill="#fff" opacity="0.45"/>`;
    case 'kite':
      return `<path d="M40,72Q30,80 40,86Q50,92 40,99" stroke="${d}" stroke-width="2" fill="none"/><polygon points="35,84 45,84 40,90" fill="${d}"/><polygon points="40,2 78,32 40,72 2,32" fill="${c}" ${line}/><path d="M40,2L40,72M2,32L78,32" stroke="${d}" stroke-width="1.5"/><polygon points="40,2 78,32 40,32" fill="${l}"/>`;
    case 'moon':
      return `<path d="M52,2A50,48 0 0 0 52,98A24,48 0 0 1 52,2Z" fill="${c}" stroke="${darker(rgb, 0.2)}" stroke-width="1.5"/>`;
    case 'apple':
      return `<path d="M50,26C30,12 4,22 6,52C8,80 28,100 50,92C72,100 92,80 94,52C96,22 70,12 50,26Z" fill="${c}" ${line}/><path d="M50,26Q48,12 56,3" stroke="#6b3e1d" stroke-width="4" fill="none"/><path d="M56,12Q72,0 84,10Q70,20 56,12Z" fill="#3a9a3a"/><ellipse cx="30" cy="42" rx="6" ry="11" fill="#fff" opacity="0.35"/>`;
    case 'umbrella':
      return `<rect x="48" y="44" width="4" height="46" fill="#333"/><path d="M50,88q0,10 -10,10q-8,0 -8,-8" stroke="#333" stroke-width="4" fill="none"/><path d="M2,48A48,44 0 0 1 98,48Q86,40 74,48Q62,40 50,48Q38,40 26,48Q14,40 2,48Z" fill="${c}" ${line}/><path d="M50,4L26,48M50,4L74,48" stroke="${d}" stroke-width="1.5"/>`;
    case 'key':
      return `<circle cx="40" cy="50" r="29" fill="none" stroke="${c}" stroke-width="22"/><rect x="66" y="38" width="152" height="24" fill="${c}"/><rect x="164" y="58" width="16" height="24" fill="${c}"/><rect x="194" y="58" width="16" height="34" fill="${c}"/><circle cx="40" cy="50" r="40" fill="none" stroke="${d}" stroke-width="1.5"/>`;
    case 'mushroom':
      return `<path d="M36,54L64,54L68,96Q50,100 32,96Z" fill="#f3e6cc" stroke="#b8a888" stroke-width="2"/><path d="M3,56C3,20 30,3 50,3C70,3 97,20 97,56Z" fill="${c}" ${line}/><circle cx="30" cy="30" r="7" fill="#fff"/><circle cx="58" cy="18" r="6" fill="#fff"/><circle cx="72" cy="40" r="8" fill="#fff"/><circle cx="44" cy="46" r="5" fill="#fff"/>`;
  }
}

/** The drawing of `name` in `colour`, scaled onto the pixel box. */
export function drawObject(
  name: ObjectName,
  colour: ColourName,
  box: { x: number; y: number; width: number; height: number },
): string {
  const localWidth = 100 * objectKind(name).aspect;
  const sx = box.width / localWidth;
  const sy = box.height / 100;
  return `<g transform="translate(${n(box.x)} ${n(box.y)}) scale(${sx.toFixed(4)} ${sy.toFixed(4)})">${drawBody(name, colour)}</g>`;
}
