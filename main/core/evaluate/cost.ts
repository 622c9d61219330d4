// What a subset costs: pairs, bytes, and the estimated pre-training time ratio.

export const TIME_RATIO_NOTE =
  'Estimated as kept / total pairs: pre-training time is linear in the number of samples seen at a fixed number of epochs (TL;DR: 19 h → 4.7 h at 24 %).';

export interface CostSummary {
  pairsKept: number;
  pairsTotal: number;
  pairRatio: number;
  bytesKept: number;
  bytesTotal: number;
  /** Pairs whose byte size is unknown (URL-only rows): bytes are lower bounds when > 0. */
  bytesUnknown: number;
  timeRatio: number;
  timeNote: string;
}

/** `base` = the pairs the comparison is against (default all); `bytes[i]` NaN or negative = unknown. */
export function costSummary(
  kept: Uint8Array,
  opts: { base?: Uint8Array; bytes?: ArrayLike<number> } = {},
): CostSummary {
  const n = kept.length;
  if (opts.bytes && opts.bytes.length !== n) throw new RangeError('bytes length differs from the pair count');
  let pairsKept = 0;
  let pairsTotal = 0;
  let bytesKept = 0;
  let bytesTotal = 0;
  let bytesUnknown = 0;
  for (let i = 0; i < n; i++) {
    if (opts.base && !opts.base[i]) continue;
    pairsTotal++;
    const b = opts.bytes ? (opts.bytes[i] as number) : NaN;
    const known = b >= 0;
    if (known) bytesTotal += b;
    else bytesUnknown++;
    if (kept[i]) {
      pairsKept++;
      if (known) bytesKept += b;
    }
  }
  const pairRatio = pairsTotal ? pairsKept / pairsTotal : 0;
  return {
    pairsKept,
    pairsTotal,
    pairRatio,
    bytesKept,
    bytesTotal,
    bytesUnknown,
    timeRatio: pairRatio,
    timeNote: TIME_RATIO_NOTE,
  };
}
