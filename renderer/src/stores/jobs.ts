// Jobs, kept current by engine events; logs from the engine alongside.
import { defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';
import type { JobDto } from '../../../main/api/schemas';
import { useApi } from '../api/client';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  at: number;
}

const MAX_LOGS = 100;

/** Whether `a` is a later record of a job than `b`; at the same instant an ended job wins. */
export function isNewer(a: JobDto, b: JobDto): boolean {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt;
  return a.state !== 'running' || b.state === 'running';
}

export const useJobsStore = defineStore('jobs', () => {
  const api = useApi();
  const byId = reactive(new Map<number, JobDto>());
  const logs = ref<LogLine[]>([]);
  const error = ref<string | undefined>();

  const list = computed(() => [...byId.values()].sort((a, b) => b.id - a.id));
  const running = computed(() => list.value.filter((j) => j.state === 'running'));

  /**
   * Merges rather than replaces: an event that arrived while the list was on its way
   * (a job ending, say) is newer than the list's snapshot and must not be undone.
   */
  async function refresh(): Promise<void> {
    try {
      const jobs = await api.call('jobs.list', {});
      for (const j of jobs) apply(j);
      error.value = undefined;
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e);
    }
  }

  /** Applies a job record; answers true when its state changed (started or ended). */
  function apply(j: JobDto): boolean {
    const before = byId.get(j.id);
    if (before && !isNewer(j, before)) return false;
    byId.set(j.id, j);
    return before?.state !== j.state;
  }

  function log(level: LogLine['level'], message: string): void {
    logs.value = [{ level, message, at: Date.now() }, ...logs.value].slice(0, MAX_LOGS);
  }

  async function cancel(jobId: number): Promise<void> {
    await api.call('jobs.cancel', { jobId });
  }

  function get(jobId: number | undefined): JobDto | undefined {
    return jobId === undefined ? undefined : byId.get(jobId);
  }

  /** The newest job on a dataset, of a kind. */
  function latestFor(datasetId: number, kind: string): JobDto | undefined {
    return list.value.find((j) => j.datasetId === datasetId && j.kind === kind);
  }

  return { byId, list, running, logs, error, refresh, apply, log, cancel, get, latestFor };
});
