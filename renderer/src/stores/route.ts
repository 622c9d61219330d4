// The app's place, kept in the URL hash so reload and back/forward work everywhere
// (file:// in the app, any path in a browser).
export type ViewName = 'library' | 'dataset' | 'words';

export interface Route {
  view: ViewName;
  datasetId?: number;
}

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const view = parts[0];
  const id = Number(parts[1]);
  if ((view === 'dataset' || view === 'words') && Number.isInteger(id) && id > 0)
    return { view, datasetId: id };
  if (view === 'dataset' || view === 'words') return { view };
  return { view: 'library' };
}

export function routeHash(r: Route): string {
  return r.view === 'library' || r.datasetId === undefined ? `#/${r.view}` : `#/${r.view}/${r.datasetId}`;
}
