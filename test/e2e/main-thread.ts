// Main-thread tasks of a page as the Long Tasks API and Chrome's trace see them. The Long
// Tasks API gives wall time, which on a loaded machine is mostly time the renderer waited
// for a core; the trace gives the same tasks' thread (CPU) time, the work the page did.
import os from 'node:os';
import type { Browser, Page } from 'playwright-core';

export const LONG_TASK_INIT = (): void => {
  const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
  w.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
};

export interface TaskStats {
  /** Long Tasks API: how many tasks over 50 ms, and the longest (wall ms, 0 if none). */
  longTasks: number;
  maxWallMs: number;
  /** Chrome trace: the longest main-thread task in thread time (ms), and how many ran. */
  maxCpuMs: number;
  tasks: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  tid: number;
  pid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Longest renderer main-thread task (thread time, ms) in a trace, and the task count. */
export function mainThreadCpu(trace: Buffer): { maxCpuMs: number; tasks: number } {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = new Set(
    events
      .filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}/${e.tid}`),
  );
  const tasks = events.filter(
    (e) =>
      e.ph === 'X' &&
      (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') &&
      main.has(`${e.pid}/${e.tid}`),
  );
  return { maxCpuMs: Math.max(0, ...tasks.map((t) => (t.tdur ?? 0) / 1000)), tasks: tasks.length };
}

/** Runs `act`, lets the page settle, and returns what the main thread did meanwhile. */
export async function tasksDuring(
  browser: Browser,
  page: Page,
  act: () => Promise<void>,
): Promise<TaskStats> {
  const since = await page.evaluate(() => performance.now());
  await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline'] });
  let trace: Buffer;
  try {
    await act();
    // Let the rendering `act` started finish: two frames, then a quiet spell.
    await page.evaluate(
      () =>
        new Promise<void>((r) =>
          requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 300))),
        ),
    );
  } finally {
    trace = await browser.stopTracing();
  }
  const long = await page.evaluate(
    (t0) =>
      (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks
        .filter((t) => t.start >= t0)
        .map((t) => t.duration),
    since,
  );
  return { longTasks: long.length, maxWallMs: Math.max(0, ...long), ...mainThreadCpu(trace) };
}

/** More runnable work than cores (1-minute load average): wall times measure the queue, not the page. */
export function machineBusy(): boolean {
  return os.loadavg()[0]! > os.cpus().length;
}
