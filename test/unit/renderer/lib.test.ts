// The renderer's pure pieces: drop paths, the virtual grid window, page cache, routes.
import { describe, expect, it } from 'vitest';
import type { JobDto } from '../../../main/api/schemas';
import { pathsFromDrop } from '../../../renderer/src/lib/drop';
import { jobHint, jobLabel } from '../../../renderer/src/lib/job-hints';
import { PageCache } from '../../../renderer/src/lib/page-cache';
import { columnsFor, visibleWindow } from '../../../renderer/src/lib/virtual-window';
import { isNewer } from '../../../renderer/src/stores/jobs';
import { parseHash, routeHash } from '../../../renderer/src/stores/route';

function drop(data: Record<string, string>, files: { name: string }[] = []) {
  return { files: files as unknown as File[], getData: (f: string) => data[f] ?? '' };
}

describe('pathsFromDrop', () => {
  it('uses the preload’s path for each File first', () => {
    const d = drop({ 'text/uri-list': 'file:///ignored' }, [{ name: 'a' }, { name: 'b' }]);
    expect(pathsFromDrop(d, (f) => `/data/${f.name}`)).toEqual(['/data/a', '/data/b']);
  });

  it('reads file:// URI lists, decoding and skipping comments', () => {
    const d = drop({
      'text/uri-list':
        '# from a file manager\r\nfile:///data/my%20set\r\nhttps://example.org/x\r\nfile:///C:/cc3m',
    });
    expect(pathsFromDrop(d, () => '')).toEqual(['/data/my set', 'C:/cc3m']);
  });

  it('falls back to absolute paths in text/plain', () => {
    expect(pathsFromDrop(drop({ 'text/plain': '/data/cc3m\nrelative/path\nD:\\laion' }))).toEqual([
      '/data/cc3m',
      'D:\\laion',
    ]);
    expect(pathsFromDrop(drop({ 'text/plain': 'hello' }), () => '')).toEqual([]);
  });
});

describe('visibleWindow', () => {
  it('draws only the rows on screen plus overscan', () => {
    const w = visibleWindow({
      scrollTop: 2240,
      viewportHeight: 600,
      rowHeight: 224,
      rowCount: 1000,
      overscan: 2,
    });
    expect(w.totalHeight).toBe(224_000);
    expect(w.first).toBe(8);
    expect(w.last).toBe(8 + 2 + Math.ceil(600 / 224) + 1 + 2);
    expect(w.offsetTop).toBe(8 * 224);
  });

  it('compresses a million pairs into a scrollable height and reaches the last row', () => {
    const rows = Math.ceil(1_000_000 / 6);
    const base = { viewportHeight: 600, rowHeight: 224, rowCount: rows, overscan: 0 };
    const top = visibleWindow({ ...base, scrollTop: 0 });
    expect(top.totalHeight).toBeLessThanOrEqual(8_000_000);
    expect(top.first).toBe(0);
    const end = visibleWindow({ ...base, scrollTop: top.totalHeight });
    expect(end.last).toBe(rows);
    // The last row ends at the bottom of the viewport.
    const scrollTop = top.totalHeight - 600;
    expect(end.offsetTop + (rows - end.first) * 224).toBeCloseTo(scrollTop + 600, 0);
    const mid = visibleWindow({ ...base, scrollTop: (top.totalHeight - 600) / 2 });
    expect(mid.first / rows).toBeCloseTo(0.5, 2);
    expect(mid.last - mid.first).toBeLessThan(10);
  });

  it('handles empty grids and fits columns', () => {
    expect(visibleWindow({ scrollTop: 0, viewportHeight: 600, rowHeight: 224, rowCount: 0 }).last).toBe(0);
    expect(columnsFor(1000, 168, 8)).toBe(5);
    expect(columnsFor(100, 168, 8)).toBe(1);
  });
});

describe('PageCache', () => {
  it('fetches each page once, shares requests and keeps a bounded number', async () => {
    const calls: number[] = [];
    let changes = 0;
    const cache = new PageCache<number>(
      async (offset, limit) => {
        calls.push(offset);
        return { total: 10_000, items: Array.from({ length: limit }, (_, i) => offset + i) };
      },
      100,
      3,
      () => changes++,
    );
    await Promise.all([cache.ensure(0, 150), cache.ensure(50, 120)]);
    expect(calls).toEqual([0, 100]);
    expect(cache.get(142)).toBe(142);
    expect(cache.total).toBe(10_000);
    await cache.ensure(500, 800);
    expect(calls).toEqual([0, 100, 500, 600, 700]);
    expect(cache.has(0)).toBe(false); // least recently used page dropped
    expect(cache.get(750)).toBe(750);
    expect(changes).toBe(5);
  });

  it('ignores answers for a query that was replaced', async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const cache = new PageCache<string>(async () => {
      await slow;
      return { total: 1, items: ['old'] };
    }, 10);
    const pending = cache.ensure(0, 1);
    cache.reset(async () => ({ total: 1, items: ['new'] }));
    release();
    await pending;
    expect(cache.get(0)).toBeUndefined();
    await cache.ensure(0, 1);
    expect(cache.get(0)).toBe('new');
  });
});

describe('routes', () => {
  it('round-trips through the hash', () => {
    for (const r of [
      { view: 'library' as const },
      { view: 'dataset' as const, datasetId: 3 },
      { view: 'words' as const, datasetId: 12 },
    ]) {
      expect(parseHash(routeHash(r))).toEqual(r);
    }
    expect(parseHash('#/dataset/x')).toEqual({ view: 'dataset' });
    expect(parseHash('#/nope')).toEqual({ view: 'library' });
    expect(parseHash('')).toEqual({ view: 'library' });
  });
});

describe('job hints', () => {
  const job = (over: Partial<JobDto>): JobDto => ({
    id: 1,
    kind: 'ingest',
    datasetId: 3,
    state: 'failed',
    progress: { stage: 'index', done: 10, total: 100 },
    error: null,
    createdAt: '',
    updatedAt: '',
    ...over,
  });

  it('says what to do, and offers resume where the app can do it', () => {
    expect(jobHint(job({ state: 'running' }))).toBeUndefined();
    expect(jobHint(job({ state: 'done' }))).toBeUndefined();
    expect(jobHint(job({ state: 'interrupted' }))).toMatchObject({ action: 'resume' });
    expect(jobHint(job({ error: "ENOENT: no such file or directory, open '/data/x.tar'" }))!.text).toContain(
      'still where it was',
    );
    expect(jobHint(job({ error: 'EACCES: permission denied' }))!.text).toContain('readable');
    const embed = jobHint(job({ kind: 'embed', state: 'cancelled' }))!;
    expect(embed.action).toBeUndefined();
    expect(embed.text).toContain('same settings');
    expect(jobLabel('embed')).toBe('Features');
    expect(jobLabel('some.new-kind')).toBe('some new kind');
  });
});

describe('job records', () => {
  const rec = (state: JobDto['state'], updatedAt: string): JobDto => ({
    id: 1,
    kind: 'ingest',
    datasetId: 1,
    state,
    progress: { stage: 'index', done: 1 },
    error: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt,
  });

  it('never lets an older snapshot undo a newer event', () => {
    const done = rec('done', '2025-01-01T00:00:02.000Z');
    const snapshot = rec('running', '2025-01-01T00:00:01.000Z');
    expect(isNewer(snapshot, done)).toBe(false);
    expect(isNewer(done, snapshot)).toBe(true);
    // Same instant: the ended record wins.
    expect(isNewer(rec('running', done.updatedAt), done)).toBe(false);
    expect(isNewer(done, rec('running', done.updatedAt))).toBe(true);
  });
});
