// The app's place, kept in the URL hash so reload and back/forward work everywhere
// (file:// in the app, any path in a browser).
export const DATASET_VIEWS = [
  'dataset',
  'words',
  'features',
  'compress',
  'compare',
  'export',
  'timix',
] as const;
export type DatasetViewName = (typeof DATASET_VIEWS)[number];
export type ViewName = 'library' | DatasetViewName;

export interface Route {
  view: ViewName;
  datasetId?: number;
}

export function isDatasetView(v: string | undefined): v is DatasetViewName {
  return (DATASET_VIEWS as readonly string[]).includes(v ?? '');
}

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const view = parts[0];
  const id = Number(parts[1]);
  if (isDatasetView(view) && Number.isInteger(id) && id > 0) return { view, datasetId: id };
  if (isDatasetView(view)) return { view };
  return { view: 'library' };
}

export function routeHash(r: Route): string {
  return r.view === 'library' || r.datasetId === undefined ? `#/${r.view}` : `#/${r.view}/${r.datasetId}`;
}
