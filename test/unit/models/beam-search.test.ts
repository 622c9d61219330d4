import { describe, expect, it } from 'vitest';
import { beamSearch, type StepInput } from '../../../main/core/models/beam-search';

const EOS = 0;

/**
 * A toy language model: next-token probabilities depend only on the previous token.
 * From the start token (3), token 1 looks best (0.5) but leads only to poor continuations;
 * token 2 (0.4) leads to a near-certain continuation. Greedy picks 1, beam search 2.
 */
function table(prev: number): number[] {
  const p: Record<number, number[]> = {
    3: [0.05, 0.5, 0.4, 0.05],
    1: [0.1, 0.3, 0.3, 0.3],
    2: [0.02, 0.02, 0.94, 0.02],
  };
  return (p[prev] ?? [0.97, 0.01, 0.01, 0.01]).map(Math.log);
}

function recordingStep(): { step: (i: StepInput) => Promise<number[][]>; calls: StepInput[] } {
  const calls: StepInput[] = [];
  return {
    calls,
    step: async (input) => {
      calls.push(input);
      return input.tokens.map(table);
    },
  };
}

describe('beamSearch', () => {
  it('greedy with one beam, beam search finds the more probable sequence', async () => {
    const greedy = await beamSearch(recordingStep().step, {
      startTokens: [3],
      eosTokenIds: [EOS],
      numBeams: 1,
      maxNewTokens: 3,
      minNewTokens: 0,
    });
    expect(greedy.tokens[0]).toBe(1);
    const beam = await beamSearch(recordingStep().step, {
      startTokens: [3],
      eosTokenIds: [EOS],
      numBeams: 3,
      maxNewTokens: 3,
      minNewTokens: 0,
    });
    expect(beam.tokens).toEqual([2, 2, 2]);
    expect(beam.score).toBeGreaterThan(greedy.score);
  });

  it('holds eos back until minNewTokens and stops at maxNewTokens', async () => {
    const { step, calls } = recordingStep();
    const r = await beamSearch(step, {
      startTokens: [3],
      eosTokenIds: [EOS],
      numBeams: 2,
      maxNewTokens: 5,
      minNewTokens: 4,
    });
    expect(r.tokens.length).toBeGreaterThanOrEqual(4);
    expect(r.tokens.length).toBeLessThanOrEqual(5);
    expect(r.tokens).not.toContain(EOS);
    expect(calls.length).toBeLessThanOrEqual(5);
  });

  it('tells the step which previous row each beam continues', async () => {
    const { step, calls } = recordingStep();
    await beamSearch(step, {
      startTokens: [3],
      eosTokenIds: [EOS],
      numBeams: 3,
      maxNewTokens: 3,
      minNewTokens: 0,
    });
    expect(calls[0]).toEqual({ tokens: [3], parents: [0], step: 0 });
    // After the first step every beam continues the single start row.
    expect(calls[1]!.parents).toEqual([0, 0, 0]);
    expect(calls[1]!.tokens).toHaveLength(3);
    for (const c of calls.slice(2))
      for (const p of c.parents) expect(p).toBeLessThan(calls[1]!.tokens.length);
  });

  it('stops early once k finished hypotheses beat every live beam', async () => {
    const calls: StepInput[] = [];
    const r = await beamSearch(
      async (i) => (
        calls.push(i),
        i.tokens.map((t) => (t === 3 ? table(3) : [0.9, 0.04, 0.03, 0.03].map(Math.log)))
      ),
      { startTokens: [3], eosTokenIds: [EOS], numBeams: 2, maxNewTokens: 20, minNewTokens: 0 },
    );
    expect(r.tokens).toHaveLength(1);
    expect(calls.length).toBeLessThan(5);
  });
});
