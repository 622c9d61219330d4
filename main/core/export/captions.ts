// Which caption an export writes for a pair, and what BLIP's loader would do to it.
import type { ExportPair } from './kept-pairs';
import type { CaptionCounts } from './manifest';
import type { CaptionSource } from './types';

/** BLIP's pre-training loader keeps this many words (pre_caption(caption, 30)). */
export const BLIP_MAX_WORDS = 30;

/**
 * Words as BLIP's `pre_caption` counts them: lower-case, `.!"()*#:;~` become spaces, runs of
 * two or more whitespace characters collapse to one space, trimmed, split on ' '.
 */
export function blipWordCount(caption: string): number {
  const cleaned = caption
    .toLowerCase()
    .replace(/[.!"()*#:;~]/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .replace(/\n+$/, '')
    .replace(/^ +| +$/g, '');
  return cleaned.split(' ').length;
}

export interface ChosenCaption {
  text: string;
  refined: boolean;
}

/** Picks and counts captions for one export. */
export class CaptionChooser {
  private readonly counts: CaptionCounts;

  constructor(readonly source: CaptionSource) {
    this.counts = { source, refined: 0, refinedTruncated: 0, overBlipLimit: 0, blipMaxWords: BLIP_MAX_WORDS };
  }

  /** The caption to write, or undefined when the pair has none (it is then skipped). */
  choose(p: ExportPair): ChosenCaption | undefined {
    const refined =
      this.source === 'refined' && p.refined && p.refined.merged.trim() !== '' ? p.refined : null;
    const text = refined ? refined.merged : p.pair.caption;
    if (text === null || text.trim() === '') return undefined;
    return { text, refined: refined !== null };
  }

  /** Records a caption that was written. */
  count(p: ExportPair, c: ChosenCaption): void {
    if (c.refined) {
      this.counts.refined++;
      if ((p.refined?.truncated ?? 0) > 0) this.counts.refinedTruncated++;
    }
    if (blipWordCount(c.text) > BLIP_MAX_WORDS) this.counts.overBlipLimit++;
  }

  summary(): CaptionCounts {
    return { ...this.counts };
  }
}
