// Beam search over a decoder step function, as in Hugging Face's BeamSearchScorer
// (length_penalty, min/max new tokens, early_stopping=false). transformers.js' own
// generate() takes num_beams but keeps only the first candidate (greedy), so captions
// that the method description wants from beam 3 are produced here.

export interface BeamSearchOptions {
  /** Tokens the decoder starts from (decoder_start_token_id). */
  startTokens: readonly number[];
  eosTokenIds: readonly number[];
  numBeams: number;
  maxNewTokens: number;
  minNewTokens: number;
  /** Hypothesis score = sum log p / (new tokens ^ lengthPenalty). */
  lengthPenalty?: number;
  signal?: AbortSignal;
}

export interface StepInput {
  /** The next token of each row (one row per live beam). */
  tokens: number[];
  /** For each row, the row of the previous step it continues (for cache reordering). */
  parents: number[];
  /** 0 for the first call, whose single row continues the start tokens. */
  step: number;
}

/** Runs the decoder on the rows and returns their next-token logits (one array per row). */
export type DecoderStep = (input: StepInput) => Promise<ArrayLike<number>[]>;

export interface BeamResult {
  /** Generated tokens, without the start tokens and the final eos. */
  tokens: number[];
  score: number;
}

interface Beam {
  tokens: number[];
  sum: number;
}

function logSoftmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i]! - max);
  const lse = max + Math.log(sum);
  const out = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) out[i] = logits[i]! - lse;
  return out;
}

/** The k best (index, value) pairs of a row, best first. */
function topK(values: Float64Array, k: number): Array<[number, number]> {
  const best: Array<[number, number]> = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === -Infinity || (best.length === k && v <= best[k - 1]![1])) continue;
    let j = best.length < k ? best.length : k - 1;
    if (best.length < k) best.push([i, v]);
    while (j > 0 && best[j - 1]![1] < v) {
      best[j] = best[j - 1]!;
      j--;
    }
    best[j] = [i, v];
  }
  return best;
}

export async function beamSearch(step: DecoderStep, opts: BeamSearchOptions): Promise<BeamResult> {
  const k = Math.max(1, Math.floor(opts.numBeams));
  const lp = opts.lengthPenalty ?? 1;
  const eos = new Set(opts.eosTokenIds);
  const normalized = (sum: number, len: number): number => sum / Math.max(1, len) ** lp;
  const finished: Array<{ tokens: number[]; score: number }> = [];
  const addFinished = (tokens: number[], sum: number, length: number): void => {
    finished.push({ tokens, score: normalized(sum, length) });
    finished.sort((a, b) => b.score - a.score);
    if (finished.length > k) finished.pop();
  };

  let beams: Beam[] = [{ tokens: [], sum: 0 }];
  let logits = await step({ tokens: [opts.startTokens.at(-1)!], parents: [0], step: 0 });
  for (let t = 0; t < opts.maxNewTokens; t++) {
    opts.signal?.throwIfAborted();
    // Candidates from every beam: its 2k best continuations.
    const candidates: Array<{ parent: number; token: number; sum: number }> = [];
    beams.forEach((beam, b) => {
      const lps = logSoftmax(logits[b]!);
      if (t < opts.minNewTokens) for (const e of eos) if (e < lps.length) lps[e] = -Infinity;
      for (const [token, lpv] of topK(lps, 2 * k)) candidates.push({ parent: b, token, sum: beam.sum + lpv });
    });
    candidates.sort((a, b) => b.sum - a.sum);

    const next: Beam[] = [];
    const parents: number[] = [];
    for (const [rank, c] of candidates.entries()) {
      const prefix = beams[c.parent]!.tokens;
      if (eos.has(c.token)) {
        // As in HF: an eos below the top k is not a hypothesis.
        if (rank < k) addFinished(prefix, c.sum, prefix.length + 1);
      } else {
        next.push({ tokens: [...prefix, c.token], sum: c.sum });
        parents.push(c.parent);
      }
      if (next.length === k) break;
    }
    if (next.length === 0) break;
    beams = next;
    // Done when k hypotheses exist and no live beam can beat the worst of them.
    const bestLive = normalized(beams[0]!.sum, beams[0]!.tokens.length);
    if (finished.length >= k && finished[finished.length - 1]!.score >= bestLive) break;
    if (t === opts.maxNewTokens - 1) break;
    logits = await step({ tokens: beams.map((b) => b.tokens.at(-1)!), parents, step: t + 1 });
  }
  // Out of length: live beams count as hypotheses too.
  for (const b of beams) if (b.tokens.length > 0) addFinished(b.tokens, b.sum, b.tokens.length);
  const best = finished[0];
  return best ? { tokens: best.tokens, score: best.score } : { tokens: [], score: -Infinity };
}
