// Engine events → stores. Installed once at start-up.
import type { Api } from '../api/client';
import { useDatasetsStore } from './datasets';
import { useJobsStore } from './jobs';

export function wireEvents(api: Api): () => void {
  const jobs = useJobsStore();
  const datasets = useDatasetsStore();
  const offEvent = api.onEvent((e) => {
    if (e.type === 'log') {
      jobs.log(e.level, e.message);
      return;
    }
    const changed = jobs.apply(e.job);
    // A job starting or ending changes dataset states and contents.
    if (changed) {
      void datasets.refresh();
      if (e.job.state !== 'running') datasets.changed();
    }
  });
  const offReconnect = api.onReconnect(() => {
    void jobs.refresh();
    void datasets.refresh();
  });
  return () => {
    offEvent();
    offReconnect();
  };
}
