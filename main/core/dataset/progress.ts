// Progress callbacks at most every 100 ms: ingest forwards them to the UI.
import type { ReadProgress } from './types';

export class ProgressTicker {
  private last = 0;
  unitsDone = 0;
  bytesDone = 0;

  constructor(
    private readonly onProgress: ((p: ReadProgress) => void) | undefined,
    readonly unitsTotal: number,
    readonly bytesTotal?: number,
  ) {}

  /** Reports now if 100 ms have passed (or `force`). */
  tick(force = false): void {
    if (!this.onProgress) return;
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    const p: ReadProgress = { unitsDone: this.unitsDone, unitsTotal: this.unitsTotal };
    if (this.bytesTotal !== undefined) {
      p.bytesDone = Math.min(this.bytesDone, this.bytesTotal);
      p.bytesTotal = this.bytesTotal;
    }
    this.onProgress(p);
  }

  unitDone(): void {
    this.unitsDone++;
    this.tick(true);
  }
}
