// The Dataset view's grid at a million pairs, against a stand-in engine that makes
// pages up on demand: the DOM stays small, any position is reachable, and scrolling
// keeps up with the frame rate.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetDto, PairDto } from '../../main/api/schemas';
import { startServer, type RunningServer } from '../../main/server';
import { fakeEngine } from '../unit/server/harness';
import { haveChromium, launchChromium } from './browser';
import { ensureRendererBuilt, RENDERER_OUT, ROOT } from './renderer-build';

const N = 1_000_000;
const SHOTS = path.join(ROOT, 'test-results', 'screenshots');

function pair(seq: number): PairDto {
  const bad = seq % 1000 === 999;
  return {
    id: seq + 1,
    seq,
    key: `k${seq}`,
    imageKey: `k${seq}`,
    image: { kind: 'file', path: 'a.jpg' },
    caption: `pair ${seq}: a red ball on a beach`,
    width: 64,
    height: 48,
    bytes: 900,
    status: bad ? 'error' : 'ok',
    errorKind: bad ? 'corrupt_image' : null,
    error: bad ? 'not a JPEG' : null,
  };
}

describe.skipIf(!haveChromium)('a million pairs in the grid', () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const pageRequests: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    await ensureRendererBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tldr-million-'));
    const root = path.join(dir, 'dataset');
    mkdirSync(root, { recursive: true });
    writeFileSync(
      path.join(root, 'a.jpg'),
      await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c43' } })
        .jpeg()
        .toBuffer(),
    );
    const ds: DatasetDto = {
      id: 1,
      name: 'a million',
      root,
      format: 'table',
      state: 'ready',
      createdAt: '2025-01-01T00:00:00Z',
      indexedAt: '2025-01-01T00:00:00Z',
      pairs: N,
    };
    const histogram = { edges: [0, 5, 10, 15], counts: [200_000, 700_000, 100_000] };
    const engine = fakeEngine({
      'engine.status': () => ({ version: 'test', workspace: path.join(dir, 'ws'), node: process.version }),
      'datasets.list': () => [ds],
      'jobs.list': () => [],
      'datasets.info': () => ({
        dataset: ds,
        pairs: N,
        images: N,
        ok: N - N / 1000,
        errors: { corrupt_image: N / 1000 },
        errorTotal: N / 1000,
        bytes: 900 * N,
        vocabulary: 9,
        words: 8 * N,
        captionWords: histogram,
        imageWidth: histogram,
        imageHeight: histogram,
      }),
      'datasets.pairs': (i) => {
        const offset = Number(i.offset);
        const limit = Number(i.limit);
        const items: PairDto[] = [];
        for (let s = offset; s < Math.min(N, offset + limit); s++) items.push(pair(s));
        return { total: N, items };
      },
    });
    mkdirSync(path.join(dir, 'ws'), { recursive: true });
    server = await startServer({
      workspace: path.join(dir, 'ws'),
      rendererDir: RENDERER_OUT,
      client: engine,
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('request', (r) => {
      if (r.url().includes('/api/datasets.pairs')) pageRequests.push(r.postData() ?? '');
    });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const seqs = () =>
    page
      .getByTestId('pair-grid')
      .locator('.cell[data-seq]')
      .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-seq'))));
  const cellCount = () => page.getByTestId('pair-grid').locator('.cell').count();

  it('shows the first pairs with thumbnails and a small DOM', async () => {
    await page.goto(`${server.url}#/dataset/1`); // the token becomes a cookie; the hash survives the redirect
    await expect.poll(async () => (await seqs())[0]).toBe(0);
    const grid = page.getByTestId('pair-grid');
    await expect
      .poll(() =>
        grid
          .locator('img')
          .evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length),
      )
      .toBeGreaterThan(5);
    expect(await cellCount()).toBeLessThan(100);
    await page.screenshot({ path: path.join(SHOTS, 'dataset-million.png') });
  });

  it('jumps to the middle and to the very end', async () => {
    const grid = page.getByTestId('pair-grid');
    const before = pageRequests.length;
    await grid.evaluate((el) => (el.scrollTop = (el.scrollHeight - el.clientHeight) / 2));
    await expect.poll(async () => Math.abs((await seqs())[0]! - N / 2)).toBeLessThan(20_000);
    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(async () => (await seqs()).at(-1)).toBe(N - 1);
    expect(await cellCount()).toBeLessThan(100);
    // Only the pages on screen were asked for, not the ones scrolled past.
    expect(pageRequests.length - before).toBeLessThanOrEqual(6);
  });

  it('keeps up while scrolling continuously', async () => {
    const grid = page.getByTestId('pair-grid');
    await grid.evaluate((el) => (el.scrollTop = 0));
    const frames = await grid.evaluate(
      (el) =>
        new Promise<{ gaps: number[]; maxCells: number }>((resolve) => {
          const gaps: number[] = [];
          let maxCells = 0;
          let last = performance.now();
          let n = 0;
          const step = (t: number) => {
            gaps.push(t - last);
            last = t;
            el.scrollTop += 150;
            maxCells = Math.max(maxCells, el.querySelectorAll('.cell').length);
            if (++n < 120) requestAnimationFrame(step);
            else resolve({ gaps: gaps.slice(1), maxCells });
          };
          requestAnimationFrame(step);
        }),
    );
    const sorted = [...frames.gaps].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    console.info(`grid scroll: median frame ${median.toFixed(1)} ms, worst ${sorted.at(-1)!.toFixed(1)} ms`);
    expect(median).toBeLessThan(50);
    expect(frames.maxCells).toBeLessThan(100);
    await expect.poll(async () => (await seqs()).length).toBeGreaterThan(0);
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
