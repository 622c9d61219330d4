// Job progress on the terminal: a bar on a TTY, plain throttled lines otherwise
// (logs, CI), nothing with --quiet. Always on stderr, so --json stdout stays clean.
import cliProgress from 'cli-progress';
import type { JobDto } from '../api/schemas';

export interface ProgressView {
  update(j: JobDto): void;
  stop(): void;
}

function fmtEta(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function progressView(opts: { quiet: boolean; tty: boolean }): ProgressView {
  if (opts.quiet) return { update() {}, stop() {} };
  if (opts.tty) {
    const bar = new cliProgress.SingleBar(
      {
        format: ' {stage} |{bar}| {percentage}% {value}/{total} {rate}/s ETA {etaText}',
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    let stage = '';
    return {
      update(j) {
        const p = j.progress;
        const total = p.total ?? Math.max(p.done, 1);
        const payload = { stage: p.stage, rate: Math.round(p.rate ?? 0), etaText: fmtEta(p.etaSeconds) };
        if (!started || p.stage !== stage) {
          if (started) bar.stop();
          bar.start(total, p.done, payload);
          started = true;
          stage = p.stage;
        } else {
          bar.setTotal(total);
          bar.update(p.done, payload);
        }
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let last = 0;
  let lastStage = '';
  return {
    update(j) {
      const p = j.progress;
      const now = Date.now();
      const end = p.total !== undefined && p.done >= p.total;
      if (now - last < 2000 && p.stage === lastStage && !end) return;
      last = now;
      lastStage = p.stage;
      const pct = p.total ? ` (${((100 * p.done) / p.total).toFixed(1)}%)` : '';
      const rate = p.rate ? `, ${Math.round(p.rate)}/s` : '';
      const eta = p.etaSeconds !== undefined ? `, ETA ${fmtEta(p.etaSeconds)}` : '';
      process.stderr.write(
        `${p.stage}: ${p.done}${p.total !== undefined ? `/${p.total}` : ''}${pct}${rate}${eta}\n`,
      );
    },
    stop() {},
  };
}
