// Inside a benchmark stage's own process: samples memory every 100 ms and at every job
// progress event, per job stage, and prints the stage's one JSON line at the end (wall and
// CPU seconds, peak RSS from getrusage, peaks per job stage, the heap left after a forced
// GC, the stage's result). Used by test/bench/_e2e/stage.ts and test/bench/_scale/stage.ts.
import type { CoreContext } from '../../../main/core/context';
import type { JobRecord } from '../../../main/core/jobs/runner';

const MB = 2 ** 20;

export interface StagePeak {
  rssMB: number;
  arrayBuffersMB: number;
  heapMB: number;
}

/** What a stage process prints (its last stdout line). */
export interface StageOut {
  stage: string;
  seconds: number;
  cpuSeconds: number;
  maxRssMB: number;
  heapAfterGcMB: number;
  peaks: Record<string, StagePeak>;
  /** Seconds from the stage's start at which each job progress stage was first seen. */
  stageStarts: Record<string, number>;
  result: Record<string, unknown>;
}

export class StageProbe {
  private readonly peaks: Record<string, StagePeak> = {};
  private readonly stageStarts: Record<string, number> = {};
  private current = 'setup';
  private readonly started = performance.now();
  private readonly timer = setInterval(() => this.sample(), 100);

  private sample(): void {
    const m = process.memoryUsage();
    const p = (this.peaks[this.current] ??= { rssMB: 0, arrayBuffersMB: 0, heapMB: 0 });
    p.rssMB = Math.max(p.rssMB, Math.round(m.rss / MB));
    p.arrayBuffersMB = Math.max(p.arrayBuffersMB, Math.round(m.arrayBuffers / MB));
    p.heapMB = Math.max(p.heapMB, Math.round(m.heapUsed / MB));
  }

  /** Follows the core's jobs: a new progress stage name starts a new peak. */
  watch(ctx: CoreContext): void {
    ctx.jobs.on('job', (r: JobRecord) => {
      this.sample();
      const name = r.progress?.stage;
      if (name && name !== this.current) {
        this.current = name;
        this.stageStarts[name] ??= Math.round((performance.now() - this.started) / 100) / 10;
        this.sample();
      }
    });
  }

  /** Runs `main`, then prints the stage's JSON line. */
  async run(stage: string, main: () => Promise<unknown>): Promise<void> {
    const result = await main();
    const seconds = (performance.now() - this.started) / 1000;
    this.sample();
    clearInterval(this.timer);
    // The heap still held after the stage (core closed, garbage collected): a leak outside
    // the job's lifetime shows here; the peaks above include garbage.
    (globalThis as { gc?: () => void }).gc?.();
    const ru = process.resourceUsage();
    const out: StageOut = {
      stage,
      seconds,
      maxRssMB: Math.round(ru.maxRSS / 1024),
      cpuSeconds: (ru.userCPUTime + ru.systemCPUTime) / 1e6,
      heapAfterGcMB: Math.round(process.memoryUsage().heapUsed / MB),
      peaks: this.peaks,
      stageStarts: this.stageStarts,
      result: result as Record<string, unknown>,
    };
    console.log(JSON.stringify(out));
  }
}

/** Waits for a job; its result, or an error naming its state. */
export async function runJob(ctx: CoreContext, job: JobRecord): Promise<unknown> {
  const done = await ctx.jobs.wait(job.id);
  if (done.state !== 'done') throw new Error(`${job.kind} ${done.state}: ${done.error}`);
  return done.result;
}
