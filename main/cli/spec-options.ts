// Command-line options → a method spec (validated later by the contract's schema).
export class SpecOptionError extends Error {}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SpecOptionError(`${what} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** "25%" → {ratio: 0.25}; "0.25" → {ratio: 0.25}; "5000" → {pairs: 5000}. */
export function parseBudget(text: string): { ratio: number } | { pairs: number } {
  const t = text.trim();
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(t);
  if (pct) return { ratio: Number(pct[1]) / 100 };
  const x = Number(t);
  if (!Number.isFinite(x) || x <= 0)
    throw new SpecOptionError(`--budget "${text}" is not a ratio (0.25, 25%) or a pair count`);
  if (x <= 1) return { ratio: x };
  if (!Number.isInteger(x))
    throw new SpecOptionError(`--budget "${text}": a pair count must be a whole number`);
  return { pairs: x };
}

function num(v: unknown, what: string): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x)) throw new SpecOptionError(`${what} "${String(v)}" is not a number`);
  return x;
}

export function specFromOptions(o: Record<string, unknown>): Record<string, unknown> {
  const method = String(o.method ?? 'tldr');
  const spec: Record<string, unknown> = { method };
  if (!(method === 'semdedup' || (method === 'alignment' && o.threshold !== undefined))) {
    spec.budget = parseBudget(String(o.budget ?? '25%'));
  }
  const set = (key: string, v: unknown) => {
    if (v !== undefined) spec[key] = v;
  };
  set('seed', num(o.seed, '--seed'));
  set('clusters', num(o.clusters, '--clusters'));
  if (method === 'tldr') {
    set('features', o.features);
    set('pick', o.pick);
    set('stride', num(o.stride, '--stride'));
    set('alignmentFraction', num(o.alignmentFraction, '--alignment-fraction'));
    if (o.exactBudget) spec.exactBudget = true;
  }
  if (method === 'wfpp') {
    set('t', num(o.t, '--t'));
    set('variant', o.variant);
  }
  if (method === 'semdedup') set('embedding', o.embedding);
  if (method === 'semdedup' && o.epsilons !== undefined) {
    spec.epsilons = String(o.epsilons)
      .split(',')
      .map((x) => num(x, '--epsilons'));
  }
  if (method === 'alignment') set('threshold', num(o.threshold, '--threshold'));
  if (method === 'prototypicality') set('keep', o.keep);
  if (method === 'wfpp' || method === 'random' || method === 'first-k' || method === 'alignment')
    delete spec.clusters;
  if (method === 'first-k' || method === 'wfpp' || method === 'alignment') delete spec.seed;
  return spec;
}
