import { describe, expect, it } from 'vitest';
import { specFromOptions } from '../../../main/cli/spec-options';
import { MethodSpecSchema } from '../../../main/core/compress/spec';

describe('CLI options → SemDeDup spec', () => {
  it('passes --embedding and --epsilons through, and the schema defaults the embedding to image', () => {
    const layout = MethodSpecSchema.parse(
      specFromOptions({ method: 'semdedup', embedding: 'layout', epsilons: '0.0125,0.05' }),
    );
    expect(layout).toMatchObject({ method: 'semdedup', embedding: 'layout', epsilons: [0.0125, 0.05] });
    expect(MethodSpecSchema.parse(specFromOptions({ method: 'semdedup' }))).toMatchObject({
      embedding: 'image',
    });
    expect(() =>
      MethodSpecSchema.parse(specFromOptions({ method: 'semdedup', embedding: 'pixels' })),
    ).toThrow();
  });
});
