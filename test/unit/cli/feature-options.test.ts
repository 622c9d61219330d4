// `embed --sample/--sample-seed` and `import-embeddings --into`: the flags as commander
// parses them, mapped to the contract's input and accepted (or refused) by its schema.
import { describe, expect, it } from 'vitest';
import { contract } from '../../../main/api/contract';
import { buildProgram } from '../../../main/cli/program';
import { embedInput, importInput, parseSample, type EmbedFlags } from '../../../main/cli/feature-options';
import { SpecOptionError } from '../../../main/cli/spec-options';

/** Options of a real `tldr-studio` command (program.ts), parsed from argv; no engine runs. */
async function parseCommand<T>(name: string, args: string[]): Promise<T> {
  const program = buildProgram();
  let got: T | undefined;
  program.commands
    .find((c) => c.name() === name)!
    .action((_id: string, o: T) => {
      got = o;
    });
  await program.parseAsync(['node', 'tldr-studio', name, ...args]);
  return got!;
}
const parseEmbed = (args: string[]) => parseCommand<EmbedFlags>('embed', args);

describe('embed --sample', () => {
  it('parses fractions and percentages in (0, 1]', () => {
    expect(parseSample('0.1')).toBe(0.1);
    expect(parseSample('10%')).toBeCloseTo(0.1, 12);
    expect(parseSample('1')).toBe(1);
    for (const bad of ['0', '-0.1', '1.5', '150%', 'abc', ''])
      expect(() => parseSample(bad)).toThrow(SpecOptionError);
  });

  it('maps the flags to a request the contract accepts', async () => {
    const input = embedInput(3, await parseEmbed(['3', '--sample', '0.1', '--sample-seed', '7']));
    expect(input).toEqual({
      datasetId: 3,
      model: 'builtin',
      device: 'auto',
      codebookSize: 1024,
      seed: 1,
      sample: 0.1,
      sampleSeed: 7,
    });
    expect(contract['features.embed'].input.parse(input)).toMatchObject({ sample: 0.1, sampleSeed: 7 });
    // Without --sample nothing about a sample is sent (the recorded one applies).
    expect(embedInput(3, await parseEmbed(['3']))).not.toHaveProperty('sample');
    const seedOnly = await parseEmbed(['3', '--sample-seed', '2']);
    expect(() => embedInput(3, seedOnly)).toThrow(/--sample-seed goes with --sample/);
    const tooBig = await parseEmbed(['3', '--sample', '2']);
    expect(() => embedInput(3, tooBig)).toThrow(SpecOptionError);
  });

  it('the contract refuses fractions outside (0, 1]', () => {
    const schema = contract['features.embed'].input;
    expect(schema.safeParse({ datasetId: 1, sample: 0 }).success).toBe(false);
    expect(schema.safeParse({ datasetId: 1, sample: 1.01 }).success).toBe(false);
    expect(schema.safeParse({ datasetId: 1, sample: 1 }).success).toBe(true);
    expect(schema.safeParse({ datasetId: 1, sample: 0.1, sampleSeed: -1 }).success).toBe(false);
  });
});

describe('import-embeddings --into', () => {
  const source = { kind: 'npy' as const, image: '/x/img.npy', keys: '/x/keys.txt' };

  it('parses --into and maps it to the contract input', async () => {
    const o = await parseCommand<{ into?: string; image: string }>('import-embeddings', [
      '2',
      '--image',
      '/x/img.npy',
      '--keys',
      '/x/keys.txt',
      '--into',
      'builtin',
    ]);
    expect(o).toMatchObject({ into: 'builtin', image: '/x/img.npy' });
    const input = importInput(2, source, { into: 'builtin' });
    expect(input).toEqual({ datasetId: 2, source, into: 'builtin' });
    expect(contract['features.import'].input.parse(input)).toMatchObject({ into: 'builtin' });
    expect(importInput(2, source, { model: 'clip' })).toEqual({ datasetId: 2, source, model: 'clip' });
  });

  it('refuses --model with --into', () => {
    expect(() => importInput(2, source, { model: 'clip', into: 'builtin' })).toThrow(/give one of them/);
  });
});
