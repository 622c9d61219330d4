// Rate and ETA from a stream of "done" counts: an exponential moving average of the
// rate, so one slow batch does not make the ETA jump.
export interface ProgressSnapshot {
  stage: string;
  done: number;
  total?: number;
  rate?: number;
  etaSeconds?: number;
  message?: string;
}

export class ProgressMeter {
  private lastDone = 0;
  private lastTime: number;
  private rate: number | undefined;

  constructor(
    private readonly halfLifeSeconds = 3,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.lastTime = now();
  }

  /** Restart the measurement (a new stage, or a resume from `done`). */
  reset(done = 0): void {
    this.lastDone = done;
    this.lastTime = this.now();
    this.rate = undefined;
  }

  update(done: number, total?: number): { rate?: number; etaSeconds?: number } {
    const t = this.now();
    const dt = (t - this.lastTime) / 1000;
    if (dt > 0.05 && done >= this.lastDone) {
      const inst = (done - this.lastDone) / dt;
      const w = 1 - Math.pow(0.5, dt / this.halfLifeSeconds);
      this.rate = this.rate === undefined ? inst : this.rate + w * (inst - this.rate);
      this.lastDone = done;
      this.lastTime = t;
    }
    const out: { rate?: number; etaSeconds?: number } = {};
    if (this.rate !== undefined) out.rate = this.rate;
    if (this.rate && total !== undefined && total >= done) out.etaSeconds = (total - done) / this.rate;
    return out;
  }
}
