// The HTML report: a pure renderer (data → one self-contained page: table, inline SVG, no
// script, no network), a tolerant adapter from runs.evaluation, and the file writer.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adaptEvaluation,
  renderReport,
  reportCsp,
  writeReport,
  type ReportData,
} from '../../../main/core/export';
import { APP_VERSION } from '../../../main/core/version';
import { buildFolderDataset, indexDataset, makeRun, workspace, type Workspace } from './fixtures';

const VOID = new Set([
  'meta',
  'br',
  'link',
  'img',
  'input',
  'hr',
  'source',
  'wbr',
  'col',
  'area',
  'base',
  'embed',
  'track',
]);

/** A small well-formedness check: every non-void tag closes, in order. Returns the problems. */
function tagProblems(html: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const body = html.replace(/^<!doctype html>/i, '').replace(/<style>[\s\S]*?<\/style>/, '<style></style>');
  const re = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:"[^"]*"|'[^']*'|[^'">])*)>/g;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(body))) {
    const between = body.slice(last, m.index);
    if (/[<>]/.test(between)) problems.push(`stray < or > near: ${between.slice(0, 60)}`);
    last = re.lastIndex;
    const [, close, rawName, attrs] = m;
    const name = rawName!.toLowerCase();
    if (close) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open}>`);
    } else if (!VOID.has(name) && !attrs!.trimEnd().endsWith('/')) stack.push(name);
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(', ')}`);
  return problems;
}

function sample(): ReportData {
  const edges = Array.from({ length: 11 }, (_, i) => -0.2 + i * 0.06);
  return {
    title: 'CC3M <demo> & friends',
    generatedAt: '2025-01-31T12:00:00.000Z',
    appVersion: '9.9.9',
    dataset: {
      id: 1,
      name: 'cc3m',
      root: '/data/cc3m',
      format: 'webdataset',
      pairs: 2_820_000,
      ok: 2_690_000,
      errors: 130_000,
      vocabulary: 51_234,
    },
    words: [
      { rank: 1, count: 90_000 },
      { rank: 10, count: 9_000 },
      { rank: 100, count: 700 },
      { rank: 1000, count: 40 },
    ],
    runs: [
      {
        id: 3,
        label: 'TL;DR 25 %',
        method: 'tldr',
        params: { budget: { ratio: 0.25 }, k: 1000, seed: 1 },
        seed: 1,
        kept: 670_000,
        eligible: 2_690_000,
        steps: [
          { label: 'eligible pairs', count: 2_690_000 },
          { label: 'stride N = 2', count: 1_345_000 },
          { label: 'top 50 % by alignment', count: 670_000 },
        ],
        derived: [{ label: 'N (stride)', value: 2 }],
        metrics: [
          {
            name: 'R@1 image→text',
            group: 'proxy',
            value: 0.412,
            low: 0.39,
            high: 0.43,
            higherIsBetter: true,
            references: [
              {
                label: 'random subset of the same size',
                value: 0.405,
                low: 0.385,
                high: 0.425,
                verdict: 'no significant difference',
              },
              { label: 'full pool', value: 0.47, low: 0.45, high: 0.49, verdict: 'worse' },
            ],
          },
          { name: 'vocabulary size', group: 'vocabulary', value: 40_000 },
        ],
        alignment: {
          edges,
          before: [1, 2, 5, 9, 14, 20, 14, 9, 5, 2],
          after: [0, 0, 1, 2, 5, 9, 10, 8, 4, 2],
        },
        words: {
          before: [{ rank: 1, count: 90_000 }],
          after: [
            { rank: 1, count: 20_000 },
            { rank: 100, count: 200 },
          ],
        },
        clusters: { before: [30, 20, 10, 5], after: [15, 10, 5, 3] },
        notes: ['Proxy training on a sample.'],
      },
      {
        id: 4,
        label: 'random 25 %',
        method: 'random',
        params: { seed: 2 },
        kept: 670_000,
        eligible: 2_690_000,
        steps: [{ label: 'random', count: 670_000 }],
        metrics: [
          {
            name: 'R@1 image→text',
            group: 'proxy',
            value: 0.405,
            low: 0.385,
            high: 0.425,
            verdict: 'no significant difference',
          },
        ],
        notes: [],
      },
    ],
    caveat: 'Small-scale proxies can mis-rank methods.',
    notes: [],
  };
}

describe('renderReport (pure)', () => {
  const html = renderReport(sample());

  it('is one well-formed page with the comparison table rows', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(tagProblems(html)).toEqual([]);
    expect(html).toContain(
      '<th scope="row">R@1 image→text <span class="muted">(higher is better)</span></th>',
    );
    expect(html).toContain('<th scope="row">vocabulary size</th>');
    expect(html).toMatch(/TL;DR 25 %<br><span class="muted">tldr · 670,000 of 2,690,000 kept/);
    expect(html).toContain('0.412</span> <span class="ci">[0.39, 0.43]</span>');
    expect(html).toContain('≈ no significant difference');
    expect(html).toContain('▼ worse');
    // A run without that metric gets an empty cell, not a made-up one.
    expect(html).toMatch(
      /<th scope="row">vocabulary size<\/th><td class="num"><span class="v">40,000<\/span><\/td><td class="num muted">–<\/td>/,
    );
  });

  it('draws its charts as inline SVG: word frequency (log-log), alignment, clusters, steps', () => {
    expect((html.match(/<svg /g) ?? []).length).toBe(1 + 1 + 1 + 2);
    expect(html).toContain('aria-label="Word rank / frequency (log-log)"');
    expect(html).toContain('aria-label="Alignment scores: TL;DR 25 %"');
    expect(html).toContain('aria-label="Cluster sizes: TL;DR 25 %"');
    expect(html).toContain('aria-label="Pairs after each step: random 25 %"');
    expect(html).toMatch(/<path class="line c0" d="M[\d.]+ [\d.]+L/);
    expect(html).toMatch(/<rect class="bar ghost"/);
  });

  it('is self-contained and strict-CSP friendly', () => {
    // The only "http" is the CSP meta's http-equiv: no URL of any kind.
    expect(html.replace('http-equiv=', '')).not.toMatch(/http/i);
    expect(html).not.toMatch(/<script|\ssrc=|\shref=|@import|url\(/i);
    expect(html).not.toMatch(/\sstyle="/);
    // The page's own policy allows exactly its one <style> element, by hash.
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const hash = createHash('sha256').update(css, 'utf8').digest('base64');
    expect(reportCsp()).toContain(`style-src 'sha256-${hash}'`);
    expect(html).toContain(`content="default-src &#39;none&#39;; style-src &#39;sha256-${hash}&#39;`);
  });

  it('escapes text, shows parameters, version and the caveat', () => {
    expect(html).toContain('<title>CC3M &lt;demo&gt; &amp; friends</title>');
    expect(html).toContain('<dt>params.budget.ratio</dt><dd>0.25</dd>');
    expect(html).toContain('<dt>N (stride)</dt><dd>2</dd>');
    expect(html).toContain('TL;DR Studio 9.9.9');
    expect(html).toContain('Small-scale proxies can mis-rank methods.');
    expect(html).toContain('TL;DR 25 %: Proxy training on a sample.');
  });

  it('says what is missing instead of drawing empty charts', () => {
    const d = sample();
    d.runs = d.runs.map((r) => ({ ...r, alignment: undefined, clusters: undefined, metrics: [] }));
    d.words = undefined;
    d.caveat = '';
    const h = renderReport(d);
    expect(tagProblems(h)).toEqual([]);
    expect(h).toContain('None of these runs has been evaluated yet');
    expect(h).toContain('No alignment scores');
    expect(h).toContain('Small-scale proxies can mis-rank methods');
  });
});

describe('adaptEvaluation', () => {
  it('reads the compress evaluation shape: metrics with random/full references and verdicts', () => {
    const a = adaptEvaluation({
      pool: 100,
      heldOut: 10,
      kept: 25,
      metrics: [
        {
          name: 'R@5 text→image',
          group: 'proxy',
          value: 0.5,
          low: 0.4,
          high: 0.6,
          higherIsBetter: true,
          random: { value: 0.45, low: 0.4, high: 0.5 },
          full: { value: 0.6, low: 0.55, high: 0.65 },
          vsRandom: 'no significant difference',
          vsFull: 'worse',
        },
        { name: 'pairs kept', group: 'cost', value: 25, full: { value: 100, low: null, high: null } },
      ],
      alignment: { edges: [0, 0.5, 1], before: [3, 4], after: [1, 2] },
      occupancy: { before: [5, 3], after: [2, 1] },
      words: { before: [{ rank: 1, count: 9 }], after: [{ rank: 1, count: 3 }] },
      notes: ['n1'],
      caveat: 'careful',
    });
    expect(a.metrics[0]).toEqual({
      name: 'R@5 text→image',
      group: 'proxy',
      value: 0.5,
      low: 0.4,
      high: 0.6,
      higherIsBetter: true,
      references: [
        {
          label: 'random subset of the same size',
          value: 0.45,
          low: 0.4,
          high: 0.5,
          verdict: 'no significant difference',
        },
        { label: 'full pool', value: 0.6, low: 0.55, high: 0.65, verdict: 'worse' },
      ],
    });
    expect(a.metrics[1]!.references).toEqual([{ label: 'full pool', value: 100 }]);
    expect(a.alignment).toEqual({ edges: [0, 0.5, 1], before: [3, 4], after: [1, 2] });
    expect(a.clusters).toEqual({ before: [5, 3], after: [2, 1] });
    expect(a.words?.after).toEqual([{ rank: 1, count: 3 }]);
    expect(a).toMatchObject({ notes: ['n1'], caveat: 'careful' });
  });

  it('finds metric objects anywhere, and reads serialised typed arrays', () => {
    const a = adaptEvaluation({
      proxy: { i2t: { name: 'i2t R@1', value: 0.3, low: 0.2, high: 0.4, verdict: 'better' } },
      coverage: { value: 0.8 },
      comparison: {
        verdict: 'no significant difference',
        difference: { value: 0.01, low: -0.02, high: 0.04 },
      },
      alignment: {
        before: { edges: { 0: 0, 1: 1 }, counts: { 0: 4 } },
        after: { edges: { 0: 0, 1: 1 }, counts: { 0: 2 } },
      },
    });
    expect(a.metrics).toEqual([
      { name: 'i2t R@1', group: 'proxy', value: 0.3, low: 0.2, high: 0.4, verdict: 'better' },
      { name: 'coverage', value: 0.8 },
      { name: 'comparison', value: 0.01, low: -0.02, high: 0.04, verdict: 'no significant difference' },
    ]);
    expect(a.alignment).toEqual({ edges: [0, 1], before: [4], after: [2] });
  });

  it('turns the plain-number SelectionReport into rows', () => {
    const a = adaptEvaluation({
      cost: { pairsKept: 5, pairRatio: 0.5 },
      vocabulary: { after: { vocabulary: 12, entropyBits: 3 } },
      notes: [],
    });
    expect(a.metrics.map((m) => m.name)).toEqual([
      'pairs kept',
      'share of pairs kept',
      'vocabulary size',
      'word-frequency entropy (bits)',
    ]);
  });

  it('is empty, not broken, for a run without evaluation', () => {
    expect(adaptEvaluation(null)).toEqual({ metrics: [], notes: [] });
  });
});

describe('writeReport', () => {
  let ws: Workspace;
  let datasetId: number;
  let runs: number[];
  beforeAll(async () => {
    ws = workspace('tldr-report-');
    const b = await buildFolderDataset(path.join(ws.data, 'folder'), 8);
    const d = await indexDataset(ws.ctx, b.root);
    datasetId = d.id;
    const evaluation = {
      metrics: [
        {
          name: 'mean alignment score',
          group: 'alignment',
          value: 0.31,
          low: 0.29,
          high: 0.33,
          vsRandom: 'better',
          random: { value: 0.25, low: 0.23, high: 0.27 },
        },
      ],
      alignment: { edges: [0, 0.25, 0.5], before: [4, 4], after: [1, 3] },
      words: {
        before: [
          { rank: 1, count: 8 },
          { rank: 5, count: 2 },
        ],
        after: [
          { rank: 1, count: 4 },
          { rank: 5, count: 1 },
        ],
      },
      notes: [],
      caveat: 'Proxies can mis-rank methods at small scale.',
    };
    runs = [
      makeRun(ws.ctx, d.id, 8, [0, 2, 4, 6], { label: 'WFPP 50 %', evaluation }),
      makeRun(ws.ctx, d.id, 8, [1, 2, 3, 4], { label: 'random 50 %', method: 'random' }),
    ];
  });
  afterAll(async () => ws.close());

  it('writes one self-contained html from the store and never overwrites it', async () => {
    const outFile = path.join(ws.dir, 'reports', 'r.html');
    const r = await writeReport({
      db: ws.ctx.db,
      workspace: ws.ctx.workspace,
      datasetId,
      runIds: runs,
      outFile,
    });
    const html = readFileSync(r.file, 'utf8');
    expect(r.sha256).toBe(createHash('sha256').update(html).digest('hex'));
    expect(tagProblems(html)).toEqual([]);
    expect(html).toContain('<th scope="row">mean alignment score</th>');
    expect(html).toContain('WFPP 50 %');
    expect(html).toContain('random 50 %');
    expect(html).toContain('vs it: ▲ better');
    expect(html).toContain('aria-label="Word rank / frequency (log-log)"');
    expect(html).toContain('Proxies can mis-rank methods at small scale.');
    expect(html).toContain(`TL;DR Studio ${APP_VERSION}`);
    expect(html).toContain('random 50 %: Not evaluated.');
    expect(html.replace('http-equiv=', '')).not.toMatch(/http|<script/i);
    await expect(
      writeReport({ db: ws.ctx.db, workspace: ws.ctx.workspace, datasetId, runIds: runs, outFile }),
    ).rejects.toThrow(/never overwrite/);
    await writeReport({
      db: ws.ctx.db,
      workspace: ws.ctx.workspace,
      datasetId,
      runIds: runs,
      outFile,
      overwrite: true,
    });
    const dflt = await writeReport({
      db: ws.ctx.db,
      workspace: ws.ctx.workspace,
      datasetId,
      runIds: [runs[0]!],
    });
    expect(path.dirname(dflt.file)).toBe(path.join(ws.ctx.workspace, 'reports'));
  });

  it('refuses runs of another dataset', async () => {
    await expect(
      writeReport({ db: ws.ctx.db, workspace: ws.ctx.workspace, datasetId: datasetId + 1, runIds: runs }),
    ).rejects.toThrow(/no dataset with id/);
  });
});
