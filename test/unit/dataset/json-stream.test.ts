import { describe, expect, it } from 'vitest';
import { JsonItemScanner, type JsonEvent } from '../../../main/core/dataset/json-stream';

/** Feeds `text` in chunks of `size` bytes. */
function scan(text: string | Buffer, size = 7): JsonEvent[] {
  const s = new JsonItemScanner();
  const buf = typeof text === 'string' ? Buffer.from(text) : text;
  const out: JsonEvent[] = [];
  for (let i = 0; i < buf.length; i += size)
    out.push(...s.push(buf.subarray(i, i + size)).map((e) => ({ ...e })));
  out.push(...s.end());
  return out;
}

describe('JsonItemScanner', () => {
  it('yields the items of a top-level list across chunk boundaries, strings with brackets and escapes', () => {
    const evs = scan('[{"a": "x]}\\"y"}, [1, [2]],\n "s", 3 ]', 3);
    expect(evs.map((e) => (e.type === 'item' ? e.value : e.type))).toEqual([
      { a: 'x]}"y' },
      [1, [2]],
      's',
      3,
    ]);
  });

  it('yields array elements of a top-level object by key, and other values whole', () => {
    const evs = scan(
      '{"info": {"v": [1]}, "images": [{"id": 1}, {"id": 2}],\n"annotations": [{"image_id": 1}], "n": 5}',
    );
    expect(
      evs.map((e) => [e.type, 'key' in e ? e.key : undefined, 'value' in e ? e.value : undefined]),
    ).toEqual([
      ['value', 'info', { v: [1] }],
      ['item', 'images', { id: 1 }],
      ['item', 'images', { id: 2 }],
      ['item', 'annotations', { image_id: 1 }],
      ['value', 'n', 5],
    ]);
  });

  it('reports a bad element with its line and goes on', () => {
    const evs = scan('[\n{"a": 1},\n{"a": tru},\n{"a": 3}\n]');
    expect(evs.map((e) => e.type)).toEqual(['item', 'bad', 'item']);
    expect(evs[1]).toMatchObject({ type: 'bad', line: 3 });
  });

  it('reports a file cut short, empty, or not json', () => {
    expect(scan('[{"a": 1}, {"a": ').at(-1)).toMatchObject({
      type: 'fatal',
      message: expect.stringMatching(/cut short/),
    });
    expect(scan('')).toEqual([{ type: 'fatal', line: 1, message: 'the file is empty' }]);
    expect(scan('hello')[0]).toMatchObject({ type: 'fatal' });
  });

  it('marks items that are not valid UTF-8', () => {
    const evs = scan(
      Buffer.concat([Buffer.from('[{"c": "caf'), Buffer.from([0xe9]), Buffer.from('"}, {"c": "ok"}]')]),
    );
    expect(evs.map((e) => (e.type === 'item' ? e.nonUtf8 : e.type))).toEqual([true, false]);
  });
});
