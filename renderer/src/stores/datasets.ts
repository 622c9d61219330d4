// The indexed datasets.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { DatasetDto } from '../../../main/api/schemas';
import { useApi } from '../api/client';

export const useDatasetsStore = defineStore('datasets', () => {
  const api = useApi();
  const list = ref<DatasetDto[]>([]);
  const loaded = ref(false);
  const error = ref<string | undefined>();
  /** Bumped whenever a dataset's contents may have changed (an index job ended). */
  const revision = ref(0);

  // Refreshes overlap (every job start and end asks for one): only the latest answer counts.
  let latest = 0;
  async function refresh(): Promise<void> {
    const mine = ++latest;
    try {
      const fresh = await api.call('datasets.list', {});
      if (mine !== latest) return;
      list.value = fresh;
      loaded.value = true;
      error.value = undefined;
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e);
    }
  }

  async function remove(datasetId: number): Promise<void> {
    await api.call('datasets.remove', { datasetId });
    await refresh();
  }

  function byId(id: number | undefined): DatasetDto | undefined {
    return id === undefined ? undefined : list.value.find((d) => d.id === id);
  }

  const ready = computed(() => list.value.filter((d) => d.state === 'ready'));

  function changed(): void {
    revision.value++;
  }

  return { list, loaded, error, revision, ready, refresh, remove, byId, changed };
});
