// Renderer entry: pinia, the API client, events wired to the stores, the app.
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { useApi } from './api/client';
import { useDatasetsStore } from './stores/datasets';
import { useJobsStore } from './stores/jobs';
import { wireEvents } from './stores/wire-events';
import './styles/base.css';

// A file dropped outside the drop zone must not make the browser open it instead of the app.
for (const type of ['dragover', 'drop'] as const) {
  window.addEventListener(type, (e) => {
    if (!(e.target instanceof Element && e.target.closest('[data-testid="drop-zone"]'))) e.preventDefault();
  });
}

const app = createApp(App);
app.use(createPinia());
const api = useApi();
wireEvents(api);
void useJobsStore().refresh();
void useDatasetsStore().refresh();
app.mount('#app');
