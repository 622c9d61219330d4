// The `tldr-studio` program: Every command is a contract operation sent
// to an engine process, exactly as the UI sends them.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { ImportReportSchema, type ImportSourceDto, type JobDto } from '../api/schemas';
import type { EmbedResult } from '../core/features/embed';
import { defaultWorkspace } from '../core/workspace';
import { APP_VERSION } from '../core/version';
import { EngineCallError, spawnEngine, waitForJob, type EngineClient } from '../engine/client';
import {
  formatCompare,
  formatErrors,
  formatImportReport,
  formatIndexResult,
  formatInfo,
  formatRunStats,
} from './format';
import { embedInput, importInput, type EmbedFlags } from './feature-options';
import { parseJson, SpecOptionError, specFromOptions } from './spec-options';
import { progressView } from './progress';
import { registerServe } from './serve';

/** Exit codes, documented in the README. */
export const EXIT = { ok: 0, failed: 1, usage: 2, undetected: 3, cancelled: 130 } as const;

interface GlobalOpts {
  workspace?: string;
  json?: boolean;
  quiet?: boolean;
}

class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly payload?: unknown,
  ) {
    super(message);
  }
}

function globals(cmd: Command): GlobalOpts {
  return cmd.optsWithGlobals() as GlobalOpts;
}

async function withEngine<T>(opts: GlobalOpts, fn: (c: EngineClient) => Promise<T>): Promise<T> {
  const client = await spawnEngine(opts.workspace ?? defaultWorkspace());
  // Ctrl-C: the engine cancels the running job at its next checkpoint, then we exit 130.
  const onSigint = () => {
    void client.close().then(() => process.exit(EXIT.cancelled));
  };
  process.once('SIGINT', onSigint);
  try {
    return await fn(client);
  } finally {
    process.off('SIGINT', onSigint);
    await client.close();
  }
}

/** Runs a job to its end with a progress view; throws CliExit unless it succeeded. */
async function runJob(client: EngineClient, jobId: number, opts: GlobalOpts): Promise<JobDto> {
  const view = progressView({ quiet: !!opts.quiet, tty: !!process.stderr.isTTY });
  const job = await waitForJob(client, jobId, (j) => view.update(j));
  view.stop();
  if (job.state === 'failed')
    throw new CliExit(EXIT.failed, `${job.kind} failed: ${job.error ?? 'unknown error'}`);
  if (job.state !== 'done')
    throw new CliExit(EXIT.cancelled, `${job.kind} ${job.state}; run the same command again to resume`);
  return job;
}

function positiveInt(v: string, what: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new CliExit(EXIT.usage, `${what} must be a positive integer, got "${v}"`);
  return n;
}

function output(opts: GlobalOpts, json: unknown, text: string): void {
  if (opts.json) process.stdout.write(`${JSON.stringify(json)}\n`);
  else process.stdout.write(`${text}\n`);
}

interface ImportOpts {
  image: string;
  text?: string;
  keys?: string;
  keyField?: 'key' | 'uid' | 'url';
  imageArray?: string;
  textArray?: string;
  model?: string;
  into?: string;
}

/** --image decides the layout: a folder is clip-retrieval output, .npz an archive, else a .npy. */
function importSource(o: ImportOpts): ImportSourceDto {
  const keyField = o.keyField ? { keyField: o.keyField } : {};
  if (!existsSync(o.image)) throw new CliExit(EXIT.usage, `not found: ${o.image}`);
  if (statSync(o.image).isDirectory()) {
    if (o.keys || o.text)
      throw new CliExit(EXIT.usage, 'a clip-retrieval folder brings its own text_emb and metadata keys');
    return { kind: 'clip-retrieval', folder: o.image, ...keyField };
  }
  if (!o.keys) throw new CliExit(EXIT.usage, `--keys is required with ${path.basename(o.image)}`);
  if (o.image.toLowerCase().endsWith('.npz')) {
    if (o.text) throw new CliExit(EXIT.usage, 'with an .npz, name the text array with --text-array');
    return {
      kind: 'npz',
      file: o.image,
      keys: o.keys,
      ...(o.imageArray ? { imageArray: o.imageArray } : {}),
      ...(o.textArray ? { textArray: o.textArray } : {}),
      ...keyField,
    };
  }
  return { kind: 'npy', image: o.image, keys: o.keys, ...(o.text ? { text: o.text } : {}), ...keyField };
}

export function buildProgram(): Command {
  const program = new Command('tldr-studio')
    .description('Compress image-text pre-training datasets into small, well-aligned subsets.')
    .version(APP_VERSION)
    .option('-w, --workspace <dir>', 'workspace folder (index, caches, outputs)', process.env.TLDR_WORKSPACE)
    .option('--json', 'print one JSON object on stdout')
    .option('-q, --quiet', 'no progress output')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('index')
    .description('index a dataset folder or file in place (resumes an interrupted index)')
    .argument('<path>', 'dataset folder or file')
    .addOption(
      new Option('-f, --format <format>', 'skip detection and read as this format').choices([
        'webdataset',
        'img2dataset-files',
        'img2dataset-parquet',
        'coco',
        'karpathy',
        'flickr-token',
        'flickr-csv',
        'blip-json',
        'llava-json',
        'table',
        'folder',
        'clip-retrieval',
      ]),
    )
    .option('-n, --name <name>', 'display name')
    .option('--reindex', 'drop the existing index of this dataset and index again')
    .action(async (p: string, o: { format?: string; name?: string; reindex?: boolean }, cmd: Command) => {
      const g = globals(cmd);
      await withEngine(g, async (client) => {
        const started = await client.call('datasets.index', {
          path: p,
          ...(o.format ? { format: o.format as never } : {}),
          ...(o.name ? { name: o.name } : {}),
          ...(o.reindex ? { reindex: true } : {}),
        });
        const job = await runJob(client, started.jobId, g);
        const info = await client.call('datasets.info', { datasetId: started.datasetId! });
        output(
          g,
          {
            datasetId: info.dataset.id,
            format: info.dataset.format,
            root: info.dataset.root,
            pairs: info.pairs,
            images: info.images,
            ok: info.ok,
            errors: info.errors,
            errorTotal: info.errorTotal,
            added: (job.result as { added?: number } | undefined)?.added ?? 0,
          },
          formatIndexResult(info),
        );
      });
    });

  program
    .command('info')
    .description('list indexed datasets, or show one dataset’s statistics')
    .argument('[dataset]', 'dataset id')
    .action(async (id: string | undefined, _o: unknown, cmd: Command) => {
      const g = globals(cmd);
      await withEngine(g, async (client) => {
        if (id === undefined) {
          const list = await client.call('datasets.list', {});
          output(
            g,
            { datasets: list },
            list.length
              ? list
                  .map(
                    (d) =>
                      `${String(d.id).padStart(4)}  ${d.format.padEnd(20)} ${String(d.pairs).padStart(10)} pairs  ${d.state.padEnd(8)} ${d.root}`,
                  )
                  .join('\n')
              : 'no datasets indexed yet: run `tldr-studio index <path>` or `tldr-studio demo`',
          );
          return;
        }
        const datasetId = positiveInt(id, 'dataset id');
        const info = await client.call('datasets.info', { datasetId });
        output(g, info, formatInfo(info));
      });
    });

  program
    .command('embed')
    .description(
      'compute image vectors, patch codes and text vectors for a dataset (resumes where it stopped)',
    )
    .argument('<dataset>', 'dataset id')
    .option('-m, --model <model>', 'builtin, a registry id, or a local model folder', 'builtin')
    .addOption(
      new Option('-d, --device <device>', 'execution provider')
        .choices(['auto', 'cuda', 'dml', 'coreml', 'cpu'])
        .default('auto'),
    )
    .option('--codebook-size <k>', 'codebook size (TL;DR: 1024)', '1024')
    .option('--seed <n>', 'random seed', '1')
    .option(
      '--sample <fraction>',
      'embed only a seeded fraction of the pairs (0.1 or 10%); the rest stay without features (import them with import-embeddings --into)',
    )
    .option('--sample-seed <n>', 'seed of the sample (default 1)')
    .action(async (id: string, o: EmbedFlags, cmd: Command) => {
      const g = globals(cmd);
      const datasetId = positiveInt(id, 'dataset id');
      const input = embedInput(datasetId, o);
      await withEngine(g, async (client) => {
        const started = await client.call('features.embed', input);
        const job = await runJob(client, started.jobId, g);
        const provider = await client.call('engine.providers', {});
        const r = job.result as EmbedResult;
        const fallback = provider.fallbackReason ? ` (fallback: ${provider.fallbackReason})` : '';
        output(
          g,
          {
            ...r,
            provider: provider.active,
            ...(provider.fallbackReason ? { providerFallback: provider.fallbackReason } : {}),
          },
          `embedded dataset ${datasetId} with ${r.model} on ${provider.active}${fallback}\n` +
            `  images encoded ${r.encoded} of ${r.pairs} pairs, codebook K = ${r.codebookSize}\n` +
            (r.sample
              ? `  sample ${r.sample.fraction} (seed ${r.sample.seed}): ${r.sample.pairs} pairs; the others have no features` +
                ` (fill them with import-embeddings ${datasetId} … --into ${r.model})\n`
              : '') +
            `  errors by kind:\n${formatErrors(r.errors)}\n  files in ${r.folder}`,
        );
      });
    });

  program
    .command('import-embeddings')
    .description(
      'import precomputed CLIP embeddings (.npy + key list, .npz, or a clip-retrieval folder), matched to the pairs by key',
    )
    .argument('<dataset>', 'dataset id')
    .requiredOption('--image <path>', 'image embeddings: a .npy, an .npz, or a clip-retrieval output folder')
    .option('--text <npy>', 'text embeddings .npy, same rows as --image (optional)')
    .option('--keys <file>', 'the key of each row: one per line, or a parquet (needed for .npy and .npz)')
    .addOption(new Option('--key-field <field>', 'pairs column the keys name').choices(['key', 'uid', 'url']))
    .option('--image-array <name>', '.npz: the image array (default: the one named img/image)')
    .option('--text-array <name>', '.npz: the text array')
    .option('-m, --model <name>', 'feature-set name for compress --model (default import:<folder or file>)')
    .option(
      '--into <features>',
      'an existing feature set (e.g. builtin) whose pairs without a vector get these (the same model, computed elsewhere)',
    )
    .action(async (id: string, o: ImportOpts, cmd: Command) => {
      const g = globals(cmd);
      const datasetId = positiveInt(id, 'dataset id');
      const source = importSource(o);
      const input = importInput(datasetId, source, o);
      await withEngine(g, async (client) => {
        const started = await client.call('features.import', input);
        const job = await runJob(client, started.jobId, g);
        const r = ImportReportSchema.parse(job.result);
        output(g, r, formatImportReport(datasetId, r));
      });
    });

  program
    .command('compress')
    .description('select a subset with a method (or a composition given as --spec JSON) and judge it')
    .argument('<dataset>', 'dataset id')
    .addOption(
      new Option('-m, --method <method>', 'selection method')
        .choices(['tldr', 'wfpp', 'random', 'first-k', 'alignment', 'semdedup', 'prototypicality', 'density'])
        .default('tldr'),
    )
    .option('-b, --budget <budget>', 'a ratio (0.25 or 25%) or a pair count (5000)', '25%')
    .option(
      '--spec <json>',
      'the full method spec as JSON (compositions: {"method":"pipeline",...}); overrides the options',
    )
    .option('--model <model>', 'feature set to use', 'builtin')
    .option('--features <kind>', 'TL;DR features: code-sequence (faithful), bag-of-codes, embedding')
    .option('--pick <pick>', 'TL;DR picking: stride (faithful) or centroid-nearest')
    .option('--clusters <k>', 'k-means clusters')
    .option('--stride <n>', 'TL;DR: keep every n-th member (derived from the budget when absent)')
    .option('--alignment-fraction <f>', 'TL;DR: top fraction by alignment (derived when absent)')
    .option('--exact-budget', 'TL;DR: trim or fill to exactly the budget')
    .option('--t <t>', 'WFPP sub-sampling threshold (1e-7 for CC12M, 1e-4 for CC3M)')
    .option('--variant <v>', 'WFPP: product (faithful) or geometric')
    .option('--epsilons <list>', 'SemDeDup: comma-separated ε values')
    .option(
      '--embedding <kind>',
      'SemDeDup: image (default) or layout (builtin: finds re-encoded/resized/cropped copies)',
    )
    .option('--threshold <s>', 'alignment filter: keep pairs with a score ≥ s instead of a budget')
    .option('--keep <which>', 'prototypicality: hard or easy')
    .option('--seed <n>', 'random seed')
    .option('--label <label>', 'a name for the run')
    .option('--no-evaluate', 'skip the side-by-side evaluation')
    .action(async (id: string, o: Record<string, string | boolean | undefined>, cmd: Command) => {
      const g = globals(cmd);
      const datasetId = positiveInt(id, 'dataset id');
      const spec = o.spec ? parseJson(String(o.spec), '--spec') : specFromOptions(o);
      await withEngine(g, async (client) => {
        const started = await client.call('runs.compress', {
          datasetId,
          spec: spec as never,
          model: String(o.model ?? 'builtin'),
          ...(o.label ? { label: String(o.label) } : {}),
          evaluate: o.evaluate !== false,
        });
        const job = await runJob(client, started.jobId, g);
        const r = job.result as { runId: number };
        const run = await client.call('runs.get', { runId: r.runId });
        const table = await client.call('runs.compare', { runIds: [r.runId] });
        output(
          g,
          {
            runId: run.id,
            label: run.label,
            kept: run.kept,
            eligible: run.eligible,
            stats: run.stats,
            evaluation: run.evaluation,
          },
          `run ${run.id}: ${run.label}\n${formatRunStats(run)}\n\n${formatCompare(table)}`,
        );
      });
    });

  program
    .command('compare')
    .description('print the side-by-side table of several runs (the first is the reference)')
    .argument('<runs...>', 'run ids')
    .action(async (ids: string[], _o: unknown, cmd: Command) => {
      const g = globals(cmd);
      const runIds = ids.map((x) => positiveInt(x, 'run id'));
      await withEngine(g, async (client) => {
        const table = await client.call('runs.compare', { runIds });
        output(g, table, formatCompare(table));
      });
    });

  program
    .command('runs')
    .description('list the runs of a dataset')
    .argument('[dataset]', 'dataset id')
    .action(async (id: string | undefined, _o: unknown, cmd: Command) => {
      const g = globals(cmd);
      await withEngine(g, async (client) => {
        const runs = await client.call('runs.list', id ? { datasetId: positiveInt(id, 'dataset id') } : {});
        output(
          g,
          { runs },
          runs
            .map(
              (r) =>
                `${String(r.id).padStart(4)}  ${r.state.padEnd(7)} ${String(r.kept).padStart(9)} / ${String(r.eligible).padEnd(9)} ${r.label}`,
            )
            .join('\n') || 'no runs yet',
        );
      });
    });

  program
    .command('refine')
    .description('TL;DR caption refinement of a run\'s kept pairs: original + "; " + generated')
    .argument('<run>', 'run id')
    .option(
      '-c, --captioner <model>',
      'builtin (learned on the dataset), or a captioner registry id or folder',
      'builtin',
    )
    .action(async (id: string, o: { captioner: string }, cmd: Command) => {
      const g = globals(cmd);
      const runId = positiveInt(id, 'run id');
      await withEngine(g, async (client) => {
        const started = await client.call('runs.refine', { runId, captioner: o.captioner });
        const job = await runJob(client, started.jobId, g);
        const r = job.result as {
          refined: number;
          truncatedPairs: number;
          meanAlignmentBefore?: number;
          meanAlignmentAfter?: number;
          warnings?: string[];
        };
        const fmt = (x?: number) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(3));
        output(
          g,
          r,
          `refined ${r.refined} captions; BLIP's 30-word cut would shorten ${r.truncatedPairs}\n` +
            `  mean alignment ${fmt(r.meanAlignmentBefore)} → ${fmt(r.meanAlignmentAfter)}` +
            (r.warnings?.length ? `\n${r.warnings.map((w) => `  warning: ${w}`).join('\n')}` : ''),
        );
      });
    });

  program
    .command('export')
    .description("export a run's kept pairs for a trainer into a new folder (never overwrites)")
    .argument('<run>', 'run id')
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['blip-json', 'openclip-tsv', 'webdataset', 'uids', 'urls-tsv', 'wfpp-schedule'])
        .default('blip-json'),
    )
    .option('-o, --out <dir>', 'a new folder (default: under the workspace exports/)')
    .option('--overwrite', 'replace an earlier export in that folder')
    .addOption(
      new Option('--captions <which>', 'original or refined captions').choices(['original', 'refined']),
    )
    .option('--shard-size <n>', 'webdataset: samples per shard', '10000')
    .action(
      async (
        id: string,
        o: { format: string; out?: string; overwrite?: boolean; captions?: string; shardSize: string },
        cmd: Command,
      ) => {
        const g = globals(cmd);
        const runId = positiveInt(id, 'run id');
        await withEngine(g, async (client) => {
          const started = await client.call('exports.start', {
            runId,
            format: o.format as never,
            ...(o.out ? { outDir: path.resolve(o.out) } : {}),
            ...(o.overwrite ? { overwrite: true } : {}),
            ...(o.captions ? { captions: o.captions as 'original' } : {}),
            shardSize: positiveInt(o.shardSize, '--shard-size'),
          });
          const job = await runJob(client, started.jobId, g);
          const r = job.result as {
            folder: string;
            written: number;
            skipped: number;
            skippedByReason: Record<string, number>;
          };
          output(
            g,
            r,
            `exported ${r.written} pairs to ${r.folder}${r.skipped ? `\n  skipped ${r.skipped}:\n${formatErrors(r.skippedByReason)}` : ''}`,
          );
        });
      },
    );

  program
    .command('report')
    .description('write the self-contained HTML report (comparison table and charts) of some runs')
    .argument('<runs...>', 'run ids (of one dataset)')
    .option('-o, --out <file>', 'the .html file to write (default: under the workspace reports/)')
    .option('--overwrite', 'replace that file')
    .action(async (ids: string[], o: { out?: string; overwrite?: boolean }, cmd: Command) => {
      const g = globals(cmd);
      const runIds = ids.map((x) => positiveInt(x, 'run id'));
      await withEngine(g, async (client) => {
        const first = await client.call('runs.get', { runId: runIds[0]! });
        const r = await client.call('reports.write', {
          datasetId: first.datasetId,
          runIds,
          ...(o.out ? { outFile: path.resolve(o.out) } : {}),
          ...(o.overwrite ? { overwrite: true } : {}),
        });
        output(g, r, `report: ${r.file}`);
      });
    });

  program
    .command('timix')
    .description(
      "write a TiMix mixing recipe for a run's kept pairs (and, with --materialize, the mixed images)",
    )
    .option('--run <id>', 'run id (its kept pairs)')
    .option('--dataset <id>', 'dataset id (all ok pairs), instead of --run')
    .requiredOption('-o, --out <dir>', 'a new folder')
    .option('--materialize', 'also write the mixed images as webdataset shards')
    .option('--model <model>', 'saliency from this feature model', 'builtin')
    .option('--batch-size <n>', 'batch size B (target i mixes with source B−1−i)', '64')
    .option('--seed <n>', 'random seed', '1')
    .action(
      async (
        o: {
          run?: string;
          dataset?: string;
          out: string;
          materialize?: boolean;
          model: string;
          batchSize: string;
          seed: string;
        },
        cmd: Command,
      ) => {
        const g = globals(cmd);
        if (!o.run === !o.dataset) throw new CliExit(EXIT.usage, 'give exactly one of --run and --dataset');
        await withEngine(g, async (client) => {
          const started = await client.call('timix.export', {
            ...(o.run
              ? { runId: positiveInt(o.run, '--run') }
              : { datasetId: positiveInt(o.dataset!, '--dataset') }),
            out: path.resolve(o.out),
            model: o.model,
            batchSize: positiveInt(o.batchSize, '--batch-size'),
            seed: Number(o.seed),
            ...(o.materialize ? { materialize: true } : {}),
          });
          const job = await runJob(client, started.jobId, g);
          const r = job.result as {
            folder: string;
            samples: number;
            batches: number;
            skipped: Record<string, number>;
          };
          output(g, r, `TiMix recipe: ${r.samples} mixed samples in ${r.batches} batches → ${r.folder}`);
        });
      },
    );

  program
    .command('demo')
    .description(
      'the main job on the demo data: generate, index, builtin features, TL;DR and random at 25 % and WFPP at 50 %, the comparison table',
    )
    .option('--seed <n>', 'random seed', '1')
    .option('--count <n>', 'number of scenes', '3000')
    .option('--index-only', 'stop after indexing and print the dataset statistics')
    .action(async (o: { seed: string; count: string; indexOnly?: boolean }, cmd: Command) => {
      const g = globals(cmd);
      const seed = Number(o.seed);
      const count = Number(o.count);
      if (!Number.isInteger(seed) || seed < 0)
        throw new CliExit(EXIT.usage, `--seed must be a non-negative integer`);
      if (!Number.isInteger(count) || count < 10)
        throw new CliExit(EXIT.usage, `--count must be an integer ≥ 10`);
      await withEngine(g, async (client) => {
        const say = (line: string) => {
          if (!g.quiet && !g.json) process.stderr.write(`${line}\n`);
        };
        say('== 1/4 demo data: generate and index');
        const started = await client.call('demo.generate', { seed, count });
        const job = await runJob(client, started.jobId, g);
        const r = job.result as { datasetId: number; folder: string; planted: unknown };
        const info = await client.call('datasets.info', { datasetId: r.datasetId });
        if (o.indexOnly) {
          output(
            g,
            { ...r, pairs: info.pairs, images: info.images, ok: info.ok, errors: info.errors, stats: info },
            `demo data: ${r.folder}\n${formatInfo(info)}`,
          );
          return;
        }
        say(`${formatInfo(info)}\n== 2/4 builtin features (no download)`);
        const emb = await client.call('features.embed', { datasetId: r.datasetId, model: 'builtin' });
        await runJob(client, emb.jobId, g);
        say('== 3/4 TL;DR 25 %, random 25 %, WFPP 50 %');
        const specs = [
          { method: 'tldr', budget: { ratio: 0.25 } },
          { method: 'random', budget: { ratio: 0.25 } },
          { method: 'wfpp', budget: { ratio: 0.5 } },
        ] as const;
        const runIds: number[] = [];
        for (const spec of specs) {
          const c = await client.call('runs.compress', { datasetId: r.datasetId, spec: spec as never });
          const done = await runJob(client, c.jobId, g);
          runIds.push((done.result as { runId: number }).runId);
        }
        say('== 4/4 comparison, exports and report');
        const table = await client.call('runs.compare', { runIds });
        const exportsDone: { format: string; folder: string; written: number }[] = [];
        const plan = [
          [runIds[0]!, 'blip-json'],
          [runIds[0]!, 'webdataset'],
          [runIds[2]!, 'wfpp-schedule'],
        ] as const;
        for (const [runId, format] of plan) {
          const e = await client.call('exports.start', { runId, format });
          const done = await runJob(client, e.jobId, g);
          const res = done.result as { folder: string; written: number };
          exportsDone.push({ format, folder: res.folder, written: res.written });
        }
        const report = await client.call('reports.write', { datasetId: r.datasetId, runIds });
        output(
          g,
          {
            datasetId: r.datasetId,
            folder: r.folder,
            pairs: info.pairs,
            images: info.images,
            errors: info.errors,
            runIds,
            table,
            exports: exportsDone,
            report: report.file,
          },
          `demo data: ${r.folder} (dataset ${r.datasetId})\n\n${formatCompare(table)}\n\n` +
            exportsDone
              .map((e) => `export ${e.format.padEnd(14)} ${e.written} pairs → ${e.folder}`)
              .join('\n') +
            `\nreport: ${report.file}`,
        );
      });
    });

  registerServe(program);

  return program;
}

export async function main(argv = process.argv): Promise<number> {
  const program = buildProgram();
  const jsonMode = argv.includes('--json');
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      )
        return EXIT.ok;
      return EXIT.usage;
    }
    let code: number = EXIT.failed;
    const message = e instanceof Error ? e.message : String(e);
    let details: unknown;
    if (e instanceof CliExit) code = e.code;
    else if (e instanceof SpecOptionError) code = EXIT.usage;
    else if (e instanceof EngineCallError) {
      details = e.details;
      if (e.code === 'invalid_input')
        code = (e.details as { candidates?: unknown } | undefined)?.candidates ? EXIT.undetected : EXIT.usage;
      if (e.code === 'not_found') code = EXIT.usage;
    }
    if (jsonMode)
      process.stdout.write(
        `${JSON.stringify({ error: { message, exitCode: code, ...(details ? { details } : {}) } })}\n`,
      );
    process.stderr.write(`tldr-studio: ${message}\n`);
    return code;
  }
}
