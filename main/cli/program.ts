// The `tldr-studio` program: Every command is a contract operation sent
// to an engine process, exactly as the UI sends them.
import { Command, CommanderError, Option } from 'commander';
import type { JobDto } from '../api/schemas';
import { defaultWorkspace } from '../core/workspace';
import { APP_VERSION } from '../core/version';
import { EngineCallError, spawnEngine, waitForJob, type EngineClient } from '../engine/client';
import { formatErrors, formatIndexResult, formatInfo } from './format';
import { progressView } from './progress';

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
    .action(
      async (
        id: string,
        o: { model: string; device: string; codebookSize: string; seed: string },
        cmd: Command,
      ) => {
        const g = globals(cmd);
        const datasetId = positiveInt(id, 'dataset id');
        await withEngine(g, async (client) => {
          const started = await client.call('features.embed', {
            datasetId,
            model: o.model,
            device: o.device as 'auto',
            codebookSize: positiveInt(o.codebookSize, '--codebook-size'),
            seed: Number(o.seed),
          });
          const job = await runJob(client, started.jobId, g);
          const provider = await client.call('engine.providers', {});
          const r = job.result as {
            model: string;
            pairs: number;
            encoded: number;
            errors: Record<string, number>;
            codebookSize: number;
            folder: string;
          };
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
              `  errors by kind:\n${formatErrors(r.errors)}\n  files in ${r.folder}`,
          );
        });
      },
    );

  program
    .command('demo')
    .description('generate the demo dataset in the workspace, index it and print its statistics')
    .option('--seed <n>', 'random seed', '1')
    .option('--count <n>', 'number of scenes', '3000')
    .action(async (o: { seed: string; count: string }, cmd: Command) => {
      const g = globals(cmd);
      const seed = Number(o.seed);
      const count = Number(o.count);
      if (!Number.isInteger(seed) || seed < 0)
        throw new CliExit(EXIT.usage, `--seed must be a non-negative integer`);
      if (!Number.isInteger(count) || count < 10)
        throw new CliExit(EXIT.usage, `--count must be an integer ≥ 10`);
      await withEngine(g, async (client) => {
        const started = await client.call('demo.generate', { seed, count });
        const job = await runJob(client, started.jobId, g);
        const r = job.result as { datasetId: number; folder: string; planted: unknown };
        const info = await client.call('datasets.info', { datasetId: r.datasetId });
        output(
          g,
          { ...r, pairs: info.pairs, images: info.images, ok: info.ok, errors: info.errors, stats: info },
          `demo data: ${r.folder}\n${formatInfo(info)}`,
        );
      });
    });

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
