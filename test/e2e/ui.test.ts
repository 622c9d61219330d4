// The renderer end to end in Debian's Chromium against `startServer` on a temp
// workspace: index through the path field and through a drop, watch progress reach
// 100 %, browse the dataset (thumbnails, problems, search) and the words chart.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../main/server';
import { CHROMIUM, haveChromium, launchChromium, watchedPage } from './browser';
import { makeDataset } from './dataset';
import { ensureRendererBuilt, RENDERER_OUT, ROOT } from './renderer-build';

if (!haveChromium) console.warn(`e2e: skipped, no Chromium at ${CHROMIUM} (apt-get install chromium)`);

const SHOTS = path.join(ROOT, 'test-results', 'screenshots');

describe.skipIf(!haveChromium)('renderer in Chromium over HTTP', () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let first: string;
  let second: string;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    await ensureRendererBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tldr-e2e-'));
    first = await makeDataset(path.join(dir, 'first set'));
    second = await makeDataset(path.join(dir, 'second-set'), 24);
    mkdirSync(SHOTS, { recursive: true });
    server = await startServer({ workspace: path.join(dir, 'workspace'), rendererDir: RENDERER_OUT });
    browser = await launchChromium();
    page = await watchedPage(browser, consoleErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Clicks Index and follows the job it starts (not the one shown before) to 100 %. */
  async function indexAndWait(): Promise<void> {
    const job = page.getByTestId('current-job');
    const before = (await job.count()) ? await job.getAttribute('data-job-id') : null;
    await page.getByTestId('index-button').click();
    await expect
      .poll(async () => ((await job.count()) ? await job.getAttribute('data-job-id') : null))
      .not.toBe(before);
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
    expect(await job.getByTestId('progress-percent').textContent()).toBe('100 %');
    await job.getByTestId('open-dataset').waitFor();
  }

  it('refuses the page without the token', async () => {
    const p = await browser.newPage();
    const r = await p.goto(`http://127.0.0.1:${server.port}/`);
    expect(r?.status()).toBe(401);
    await p.close();
  });

  it('indexes a dataset typed into the path field', async () => {
    await page.goto(server.url);
    expect(new URL(page.url()).search).toBe(''); // the token went into a cookie
    await page.getByTestId('path-input').fill(first);
    await page.getByTestId('detect-button').click();
    await expect.poll(() => page.getByTestId('detected-format').textContent()).toBe('table');
    await indexAndWait();
    await page.waitForTimeout(300); // the bar's width transition
    await page.screenshot({ path: path.join(SHOTS, 'library.png') });
    await expect.poll(() => page.getByTestId('datasets-table').locator('tbody tr').count()).toBe(1);
  });

  it('explains a drop that carries no path', async () => {
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['x'], 'photos'));
      const zone = document.querySelector('[data-testid="drop-zone"]')!;
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await expect.poll(() => page.getByTestId('library-error').textContent()).toContain('“photos”');
  });

  it('indexes a dataset dropped on the window', async () => {
    const uri = pathToFileURL(second).href;
    await page.evaluate((u) => {
      const dt = new DataTransfer();
      dt.items.add(new File(['x'], 'second-set'));
      dt.setData('text/uri-list', u);
      const zone = document.querySelector('[data-testid="drop-zone"]')!;
      for (const type of ['dragenter', 'dragover', 'drop']) {
        zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
    }, uri);
    await expect.poll(() => page.getByTestId('path-input').inputValue()).toBe(second);
    await expect.poll(() => page.getByTestId('detected-format').textContent()).toBe('table');
    await indexAndWait();
    await expect.poll(() => page.getByTestId('datasets-table').locator('tbody tr').count()).toBe(2);
  });

  it('shows the dataset with thumbnails, problems and search', async () => {
    await page.getByTestId('open-dataset').click();
    await expect.poll(() => page.getByTestId('dataset-name').textContent()).toBe('second-set');
    const grid = page.getByTestId('pair-grid');
    // Thumbnails decoded and on screen.
    await expect
      .poll(() =>
        grid
          .locator('img')
          .evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length),
      )
      .toBeGreaterThan(4);
    // Charts draw one per task after the view (ChartCanvas).
    await expect
      .poll(() => page.locator('figure[data-chart="histogram"] canvas').count())
      .toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: path.join(SHOTS, 'dataset.png') });

    // Errors by kind open their items.
    const kinds = page.locator('button[data-kind]');
    expect(await kinds.count()).toBeGreaterThanOrEqual(1);
    await kinds.first().click();
    await expect.poll(() => grid.locator('.cell.error').count()).toBeGreaterThanOrEqual(1);
    expect(await grid.locator('.cell:not(.error):not(.placeholder)').count()).toBe(0);

    // Caption search.
    await page.getByRole('button', { name: 'show all' }).click();
    await page.getByTestId('caption-search').fill('kite');
    await expect
      .poll(async () => {
        const captions = await grid.locator('.caption').allTextContents();
        return captions.length > 0 && captions.every((c) => c.includes('kite'));
      })
      .toBe(true);

    // One pair in full.
    await page.getByTestId('caption-search').fill('');
    await expect
      .poll(async () => (await grid.locator('.caption').allTextContents()).some((c) => !c.includes('kite')))
      .toBe(true);
    await grid.locator('button.cell').first().click();
    await page.getByTestId('pair-detail').waitFor();
    await page.getByTestId('pair-detail').getByRole('button', { name: 'Close' }).click();
  });

  it('scrolls the grid without fetching what is not shown', async () => {
    const grid = page.getByTestId('pair-grid');
    // The search was just cleared: the grid refills after its debounce.
    await expect.poll(() => grid.locator('.cell[data-seq]').count()).toBeGreaterThan(0);
    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(() => grid.locator('.cell[data-seq]').last().getAttribute('data-seq')).toBe('25');
  });

  it('draws the words chart with data', async () => {
    await page.getByTestId('nav-words').click();
    const chart = page.locator('figure[data-chart="rank-frequency"]');
    await expect.poll(async () => Number(await chart.getAttribute('data-points'))).toBeGreaterThan(5);
    await chart.locator('canvas').first().waitFor();
    const rows = page.getByTestId('words-table').locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(5);
    await rows.filter({ hasText: 'kite' }).getByRole('button').click();
    const grid = page.getByTestId('pair-grid');
    await expect.poll(() => grid.locator('.caption').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS, 'words.png') });

    await page.getByTestId('theme').selectOption('dark');
    await page.keyboard.press('Alt+J');
    await page.locator('#jobs-panel li[data-state="done"]').first().waitFor();
    await page.waitForTimeout(300); // charts resize to the narrower main area
    await page.screenshot({ path: path.join(SHOTS, 'words-dark-jobs.png') });
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
