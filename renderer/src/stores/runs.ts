// Compression runs of the datasets, refetched when a job ends (datasets.revision).
import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import type { RunDto } from '../../../main/api/schemas';
import { useApi } from '../api/client';
import { errorMessage } from '../api/errors';

export const useRunsStore = defineStore('runs', () => {
  const api = useApi();
  const byDataset = reactive(new Map<number, RunDto[]>());
  const error = ref<string | undefined>();
  const latest = new Map<number, number>();

  async function refresh(datasetId: number): Promise<void> {
    const mine = (latest.get(datasetId) ?? 0) + 1;
    latest.set(datasetId, mine);
    try {
      const runs = await api.call('runs.list', { datasetId });
      if (latest.get(datasetId) !== mine) return;
      byDataset.set(datasetId, runs);
      error.value = undefined;
    } catch (e) {
      error.value = errorMessage(e);
    }
  }

  function of(datasetId: number): RunDto[] {
    return byDataset.get(datasetId) ?? [];
  }

  /** Finished runs, newest first. */
  function done(datasetId: number): RunDto[] {
    return of(datasetId)
      .filter((r) => r.state === 'done')
      .sort((a, b) => b.id - a.id);
  }

  return { byDataset, error, refresh, of, done };
});
