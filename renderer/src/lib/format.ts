// Numbers, sizes and durations for people.
const nf = new Intl.NumberFormat('en-US');

export function count(n: number): string {
  return nf.format(n);
}

export function bytes(b: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = b;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i && v < 100 ? 1 : 0)} ${units[i]}`;
}

export function duration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600)
    return `${Math.floor(seconds / 60)} min ${String(Math.round(seconds % 60)).padStart(2, '0')} s`;
  return `${Math.floor(seconds / 3600)} h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')} min`;
}

export function rate(perSecond: number | undefined, unit = 'items'): string {
  if (perSecond === undefined || !Number.isFinite(perSecond)) return '—';
  return `${count(Math.round(perSecond))} ${unit}/s`;
}

/** 0–100, or undefined when the total is unknown. */
export function percent(done: number, total: number | undefined): number | undefined {
  if (total === undefined || total <= 0) return undefined;
  return Math.max(0, Math.min(100, (100 * done) / total));
}

export function dateTime(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** 'missing_image' → 'missing image'. */
export function kindLabel(kind: string): string {
  return kind.replace(/_/g, ' ');
}
