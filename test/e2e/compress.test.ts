// The compression views end to end in Debian's Chromium against `startServer`: embed the
// small dataset with the built-in model, run TL;DR and random at 25 % from Compress, read
// both columns of Compare, export blip-json from Export (the folder exists on disk),
// write the report, preview TiMix; a screenshot of each view, and no console errors.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../main/server';
import { haveChromium, launchChromium, watchedPage } from './browser';
import { makeDataset } from './dataset';
import { ensureRendererBuilt, RENDERER_OUT, ROOT } from './renderer-build';

const SHOTS = path.join(ROOT, 'test-results', 'screenshots');
/** Two cores shared with other suites: a call may take seconds, not the default 1 s. */
const SLOW = 30_000;

describe.skipIf(!haveChromium)('compression views in Chromium over HTTP', () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let data: string;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    await ensureRendererBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tldr-e2e-compress-'));
    data = await makeDataset(path.join(dir, 'small set'));
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

  it('indexes the small dataset', async () => {
    await page.goto(server.url);
    await page.getByTestId('path-input').fill(data);
    await page.getByTestId('detect-button').click();
    await expect
      .poll(() => page.getByTestId('detected-format').textContent(), { timeout: SLOW })
      .toBe('table');
    await page.getByTestId('index-button').click();
    await expect
      .poll(() => page.getByTestId('current-job').getAttribute('data-state'), { timeout: 60_000 })
      .toBe('done');
    await page.getByTestId('open-dataset').click();
    await page.getByTestId('dataset-name').waitFor();
  });

  it('embeds the dataset with the built-in model', async () => {
    await page.getByTestId('nav-features').click();
    await expect
      .poll(() => page.getByTestId('provider-active').textContent(), { timeout: SLOW })
      .toContain('In use:');
    expect(await page.getByTestId('model-builtin').isChecked()).toBe(true);
    await page.getByText('Advanced').click();
    await page.getByTestId('codebook-size').fill('16');
    await page.getByTestId('embed-button').click();
    const job = page.getByTestId('embed-job');
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 90_000 }).toBe('done');
    // The Jobs panel opened and shows the job.
    await page.locator('#jobs-panel').waitFor();
    await page.getByTestId('feature-sets').locator('tbody tr[data-state="ready"]').waitFor();
    const chart = page.locator('figure[data-chart="code-usage"]');
    await expect
      .poll(async () => Number(await chart.getAttribute('data-points')), { timeout: SLOW })
      .toBe(16);
    await chart.locator('canvas').first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'features.png') });
    await page.getByTestId('jobs-toggle').click();
  });

  async function runMethod(method: string): Promise<void> {
    const step = page.getByTestId('step-0');
    await step.getByTestId('method-select').selectOption(method);
    if (method === 'tldr') await step.locator('[data-param="clusters"]').fill('6');
    const job = page.getByTestId('compress-job');
    const before = (await job.count()) ? await job.getAttribute('data-job-id') : null;
    await page.getByTestId('compress-start').click();
    await expect
      .poll(async () => ((await job.count()) ? await job.getAttribute('data-job-id') : null), {
        timeout: SLOW,
      })
      .not.toBe(before);
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 90_000 }).toBe('done');
  }

  it('runs TL;DR and random at 25 % from Compress, showing the pair count live', async () => {
    await page.getByTestId('nav-compress').click();
    const step = page.getByTestId('step-0');
    expect(await step.getByTestId('method-select').inputValue()).toBe('tldr');
    // Defaults: the authors' K and iterations.
    expect(await step.locator('[data-param="clusters"]').inputValue()).toBe('1000');
    expect(await step.locator('[data-param="iterations"]').inputValue()).toBe('20');
    // 36 usable pairs less the 5 % held out: 34 eligible; 25 % keeps 9 (8.5 rounded).
    await expect.poll(() => step.getByTestId('budget-result').textContent(), { timeout: SLOW }).toBe('9');
    await step.getByTestId('budget-ratio').fill('50');
    await expect.poll(() => step.getByTestId('budget-result').textContent(), { timeout: SLOW }).toBe('17');
    await step.getByTestId('budget-pairs').fill('4');
    await expect.poll(() => step.getByTestId('budget-result').textContent(), { timeout: SLOW }).toBe('4');
    await step.getByTestId('budget-ratio').fill('25');
    await expect.poll(() => step.getByTestId('budget-result').textContent(), { timeout: SLOW }).toBe('9');

    await runMethod('tldr');
    const detail = page.getByTestId('run-detail');
    await expect.poll(() => detail.textContent(), { timeout: SLOW }).toContain('TL;DR');
    expect(await page.getByTestId('funnel').locator('li').count()).toBeGreaterThanOrEqual(1);
    await page.getByTestId('derived').waitFor();

    await runMethod('random');
    await expect
      .poll(() => page.getByTestId('runs-table').locator('tbody tr').count(), { timeout: SLOW })
      .toBe(2);
    await page.screenshot({ path: path.join(SHOTS, 'compress.png') });
  });

  it('compares the two runs side by side', async () => {
    await page.getByTestId('nav-compare').click();
    const table = page.getByTestId('compare-table');
    await expect.poll(() => table.locator('thead th').count(), { timeout: SLOW }).toBe(3);
    const heads = await table.locator('thead th').allTextContents();
    expect(heads[1]).toContain('TL;DR');
    expect(heads[2]).toContain('random');
    const kept = table.locator('tr[data-metric="pairs kept"]');
    // TL;DR keeps about the budget (exactBudget is off); random keeps it exactly.
    expect(Number(await kept.locator('td[data-col="0"] strong').textContent())).toBeGreaterThan(0);
    expect((await kept.locator('td[data-col="1"] strong').textContent())?.trim()).toBe('9');
    // Every metric has a cell in both columns.
    const rows = await table.locator('tbody tr').count();
    expect(rows).toBeGreaterThan(3);
    expect(await table.locator('td[data-col="1"]').count()).toBe(rows);
    // Verdicts are one of the three words.
    for (const v of await table.getByTestId('vs-random').allTextContents())
      expect(['better', 'worse', 'no significant difference']).toContain(v.trim());
    await page.locator('figure[data-chart="words-before-after"] canvas').first().waitFor();
    // The 2-D map: a sample of the pool drawn with both runs' kept pairs.
    const mapChart = page.locator('figure[data-chart="map"]');
    await expect
      .poll(async () => Number(await mapChart.getAttribute('data-points')), { timeout: SLOW })
      .toBeGreaterThan(20);
    await mapChart.locator('canvas').first().waitFor();
    // The two grids of what each run kept, with thumbnails.
    for (const side of ['grid-left', 'grid-right']) {
      await expect
        .poll(() =>
          page
            .getByTestId(side)
            .locator('img')
            .evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length),
        )
        .toBeGreaterThan(0);
    }
    await page.screenshot({ path: path.join(SHOTS, 'compare.png') });
    // The main area scrolls: a screenshot of the charts and one of the grids, in dark.
    await page.getByTestId('theme').selectOption('dark');
    await page.locator('figure[data-chart="alignment"]').scrollIntoViewIfNeeded();
    await page.waitForTimeout(200);
    await page.screenshot({ path: path.join(SHOTS, 'compare-charts-dark.png') });
    await mapChart.scrollIntoViewIfNeeded();
    await page.waitForTimeout(200);
    await page.screenshot({ path: path.join(SHOTS, 'compare-map-dark.png') });
    await page.getByTestId('grid-left').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'compare-grids-dark.png') });
    await page.getByTestId('theme').selectOption('light');
  });

  it('exports blip-json to a folder on disk and writes the report', async () => {
    await page.getByTestId('nav-export').click();
    await page.getByTestId('format-blip-json').check();
    await page.getByTestId('export-start').click();
    const job = page.getByTestId('export-job');
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
    const folder = (await page.getByTestId('export-folder').textContent())!.trim();
    expect(existsSync(folder)).toBe(true);
    await expect
      .poll(() => page.getByTestId('export-row-folder').allTextContents(), { timeout: SLOW })
      .toContain(folder);
    await page.getByTestId('report-write').click();
    const file = (await page.getByTestId('report-file').textContent())!.trim();
    expect(existsSync(file)).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'export.png') });
  });

  it('previews TiMix with saliency, windows, the mix and λ, and re-rolls', async () => {
    await page.getByTestId('nav-timix').click();
    await page.getByTestId('timix-preview').click();
    const samples = page.getByTestId('timix-samples').locator('li');
    await expect.poll(() => samples.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    const lambda = Number(await page.getByTestId('timix-lambda').textContent());
    expect(lambda).toBeGreaterThan(0);
    expect(lambda).toBeLessThanOrEqual(1);
    expect(await samples.first().getByTestId('saliency').count()).toBe(2);
    expect(await samples.first().getByTestId('window').count()).toBe(2);
    await page.screenshot({ path: path.join(SHOTS, 'timix.png') });
    const seed = await page.getByTestId('timix-seed').inputValue();
    await page.getByTestId('timix-reroll').click();
    await expect.poll(() => page.getByTestId('timix-seed').inputValue(), { timeout: SLOW }).not.toBe(seed);
    await expect.poll(() => samples.count(), { timeout: 60_000 }).toBeGreaterThan(0);
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
