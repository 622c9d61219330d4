// A small dataset for the browser tests: a folder of JPEGs with captions.tsv, one
// corrupt image and one missing, so the Dataset view has problems to show.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const COLOURS: [string, string][] = [
  ['red', '#d33'],
  ['green', '#3a3'],
  ['blue', '#36d'],
  ['yellow', '#dd3'],
  ['purple', '#939'],
];
const THINGS = ['ball', 'kite', 'house', 'car', 'tree', 'boat'];
const PLACES = ['on a beach', 'in a field', 'under a blue sky', 'next to a lake', 'in the snow'];

export async function makeDataset(dir: string, count = 36): Promise<string> {
  mkdirSync(path.join(dir, 'images'), { recursive: true });
  const rows = ['image\tcaption'];
  for (let i = 0; i < count; i++) {
    const [colour, hex] = COLOURS[i % COLOURS.length]!;
    const thing = THINGS[i % THINGS.length]!;
    const place = PLACES[(i * 7) % PLACES.length]!;
    const width = 96 + (i % 4) * 32;
    const height = 72 + (i % 3) * 24;
    const name = `img${String(i).padStart(3, '0')}.jpg`;
    const img = sharp({ create: { width, height, channels: 3, background: hex } })
      .composite([
        {
          input: await sharp({ create: { width: 24, height: 24, channels: 3, background: '#fff' } })
            .png()
            .toBuffer(),
          left: (i * 5) % (width - 24),
          top: (i * 3) % (height - 24),
        },
      ])
      .jpeg({ quality: 80 });
    writeFileSync(path.join(dir, 'images', name), await img.toBuffer());
    rows.push(`images/${name}\ta ${colour} ${thing} ${place}`);
  }
  writeFileSync(path.join(dir, 'images', 'broken.jpg'), Buffer.from('this is not a jpeg at all'));
  rows.push('images/broken.jpg\ta broken picture of a red ball');
  rows.push('images/missing.jpg\ta green kite that is not there');
  writeFileSync(path.join(dir, 'captions.tsv'), `${rows.join('\n')}\n`);
  return dir;
}
