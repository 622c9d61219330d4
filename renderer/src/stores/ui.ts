// Where the user is, the theme, and whether the jobs panel is open.
import { defineStore } from 'pinia';
import { computed, ref, watchEffect } from 'vue';
import { parseHash, routeHash, type Route } from './route';

export type ThemeChoice = 'system' | 'light' | 'dark';
const THEME_KEY = 'tldr.theme';

function storedTheme(): ThemeChoice {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export const useUiStore = defineStore('ui', () => {
  const route = ref<Route>(parseHash(window.location.hash));
  const lastDatasetId = ref<number | undefined>(route.value.datasetId);
  window.addEventListener('hashchange', () => {
    route.value = parseHash(window.location.hash);
    if (route.value.datasetId !== undefined) lastDatasetId.value = route.value.datasetId;
  });

  function go(r: Route): void {
    if (r.datasetId !== undefined) lastDatasetId.value = r.datasetId;
    const hash = routeHash(r);
    if (window.location.hash !== hash) window.location.hash = hash;
    route.value = r;
  }

  const themeChoice = ref<ThemeChoice>(storedTheme());
  const media = window.matchMedia?.('(prefers-color-scheme: dark)');
  const systemDark = ref(!!media?.matches);
  media?.addEventListener('change', (e) => (systemDark.value = e.matches));
  const theme = computed<'light' | 'dark'>(() =>
    themeChoice.value === 'system' ? (systemDark.value ? 'dark' : 'light') : themeChoice.value,
  );
  watchEffect(() => {
    document.documentElement.dataset.theme = theme.value;
  });

  function setTheme(t: ThemeChoice): void {
    themeChoice.value = t;
    try {
      if (t === 'system') localStorage.removeItem(THEME_KEY);
      else localStorage.setItem(THEME_KEY, t);
    } catch {
      // storage unavailable: the choice lasts for this session
    }
  }

  const jobsOpen = ref(false);

  /** A path chosen from the application menu, for the Library to pick up. */
  const pendingPath = ref<string>();
  function openPath(p: string): void {
    pendingPath.value = p;
    go({ view: 'library' });
  }

  return { route, lastDatasetId, go, themeChoice, theme, setTheme, jobsOpen, pendingPath, openPath };
});
