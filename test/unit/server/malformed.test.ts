// Malformed requests at the contract, for every operation, and over HTTP: wrong types,
// unknown operations, unknown fields, huge strings and bodies, NUL bytes in paths. Each
// is refused as invalid_input (400) or unknown_operation (404) with a message that names
// the operation and the field, and never echoes a huge input back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, contract, OP_NAMES, parseInput } from '../../../main/api/contract';
import { bearer, makeFixture, raw, type Fixture } from './harness';

type ZodLike = { _zod: { def: { type: string; innerType?: ZodLike; in?: ZodLike } } };

/** The field's type with optional/default/nullable wrappers taken off. */
function baseType(s: ZodLike): string {
  let t = s;
  while (['optional', 'default', 'nullable', 'prefault', 'pipe'].includes(t._zod.def.type)) {
    const inner = t._zod.def.innerType ?? t._zod.def.in;
    if (!inner) break;
    t = inner;
  }
  return t._zod.def.type;
}

/** A JSON value of the wrong type for a field of type `type` (undefined: anything goes). */
const WRONG: Record<string, unknown> = {
  number: '12',
  string: 12345,
  boolean: 'yes',
  enum: '__no_such_choice__',
  array: 'not a list',
  tuple: 'not a pair',
  object: 'not an object',
  record: ['not', 'a', 'record'],
  union: 42.5,
};

const shapeOf = (op: string) =>
  ((contract as Record<string, { input: unknown }>)[op]!.input as { shape: Record<string, ZodLike> }).shape;

function refusal(op: string, input: unknown): ApiError {
  try {
    parseInput(op, input);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error(`${op} accepted ${JSON.stringify(input).slice(0, 200)}`);
}

describe('the contract refuses malformed input with a clear message', () => {
  it.each(OP_NAMES)('%s: non-objects, wrong types and unknown fields', (op) => {
    for (const bad of [[], 'text', 7, true]) {
      const e = refusal(op, bad);
      expect(e.code).toBe('invalid_input');
      expect(e.message).toMatch(new RegExp(`^${op.replace('.', '\\.')}: `));
    }
    const shape = shapeOf(op);
    for (const [field, schema] of Object.entries(shape)) {
      const type = baseType(schema);
      const wrong = WRONG[type];
      if (wrong === undefined) continue;
      const e = refusal(op, { [field]: wrong });
      expect(e.code, `${op}.${field} (${type})`).toBe('invalid_input');
      expect(e.message, `${op}.${field} (${type})`).toContain(field);
    }
    const e = refusal(op, { ...Object.fromEntries(Object.keys(shape).map((k) => [k, undefined])), limt: 5 });
    expect(e.code).toBe('invalid_input');
    expect(e.message).toContain('unknown field "limt"');
  });

  it('refuses unknown operations, including inherited property names', () => {
    for (const op of ['no.such', 'toString', '__proto__', 'constructor', 'datasets.info.x', '']) {
      expect(refusal(op, {}).code).toBe('unknown_operation');
    }
  });

  it('bounds strings and keeps huge input out of the message', () => {
    const huge = 'x'.repeat(100_000);
    const long = refusal('datasets.index', { path: huge });
    expect(long.message).toContain('path too long');
    expect(long.message.length).toBeLessThan(500);
    const nul = refusal('datasets.detect', { path: '/data/a\0b' });
    expect(nul.message).toContain('NUL');
    const key = 'k'.repeat(1000);
    const many = refusal(
      'engine.status',
      Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [key + i, 1])),
    );
    expect(many.message).toContain('and 995 more');
    expect(many.message.length).toBeLessThan(1000);
    expect(refusal('datasets.info', { datasetId: 1e300 }).message).toContain('datasetId');
    expect(refusal('datasets.pairs', { datasetId: 1, limit: -1 }).message).toContain('limit');
  });
});

describe('POST /api/<op> with malformed requests', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await makeFixture();
  });
  afterAll(async () => {
    await f.close();
  });
  const json = { ...bearer, 'content-type': 'application/json' };

  it('answers 400 with the contract’s message', async () => {
    const cases: [string, string][] = [
      ['datasets.info', '{"datasetId":"1"}'],
      ['datasets.info', '{"datasetId":1,"extra":true}'],
      ['datasets.pairs', '{"datasetId":1,"status":"maybe"}'],
      ['datasets.index', JSON.stringify({ path: 'a'.repeat(5000) })],
      ['datasets.index', JSON.stringify({ path: '/x\u0000y' })],
      ['runs.compare', '{"runIds":"1,2"}'],
      ['engine.status', '[]'],
      ['engine.status', '"hello"'],
    ];
    for (const [op, body] of cases) {
      const r = await raw(f.server.port, 'POST', `/api/${op}`, json, body);
      expect(r.status, `${op} ${body.slice(0, 80)}`).toBe(400);
      const err = (r.json() as { error: { code: string; message: string } }).error;
      expect(err.code).toBe('invalid_input');
      let expected = '';
      try {
        parseInput(op, JSON.parse(body));
      } catch (e) {
        expected = (e as Error).message;
      }
      expect(err.message).toBe(expected);
    }
  });

  it('refuses bodies over 1 MiB (413), unknown operations (404) and requests without the token (401)', async () => {
    // Refused, and the client reads the 413 (the connection is not reset under it): with a
    // Content-Length, and streamed in chunks without one.
    const big = JSON.stringify({ path: 'x'.repeat(2 << 20) });
    for (const headers of [json, { ...json, 'transfer-encoding': 'chunked' }]) {
      const r = await raw(f.server.port, 'POST', '/api/datasets.detect', headers, big);
      expect(r.status).toBe(413);
      expect(r.json()).toMatchObject({
        error: { code: 'invalid_input', message: expect.stringContaining('larger') },
      });
    }
    const unknown = await raw(f.server.port, 'POST', '/api/__proto__', json, '{}');
    expect(unknown.status).toBe(404);
    const noToken = await raw(
      f.server.port,
      'POST',
      '/api/datasets.info',
      { 'content-type': 'application/json' },
      '{"datasetId":1}',
    );
    expect(noToken.status).toBe(401);
  });
});
