// `tldr-studio serve`: the app in a browser, for a remote GPU box behind an SSH tunnel.
// Runs until SIGINT/SIGTERM, then shuts the engine down so a running job checkpoints.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { defaultWorkspace } from '../core/workspace';
import { startServer } from '../server';
import { defaultRendererDir } from '../server/renderer-dir';

interface ServeOpts {
  port: string;
  host: string;
  token?: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

export interface ServeDeps {
  /** Resolves when the server should stop (default: SIGINT or SIGTERM); tests stop it directly. */
  stopped?: () => Promise<string>;
}

export function registerServe(program: Command, deps: ServeDeps = {}): void {
  program
    .command('serve')
    .description('serve the app over HTTP on this machine (open the printed URL, or tunnel it over SSH)')
    .option('-p, --port <n>', 'port to listen on (0 = any free port)', '0')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option(
      '--token <token>',
      'access token, 16+ characters (default: $TLDR_TOKEN, else random)',
      process.env.TLDR_TOKEN,
    )
    .action(async (o: ServeOpts, cmd: Command) => {
      const g = cmd.optsWithGlobals() as { workspace?: string; json?: boolean };
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new Error(`--port must be an integer in 0..65535, got "${o.port}"`);
      if (o.token !== undefined && o.token.length < 16)
        throw new Error('--token must be at least 16 characters');
      const rendererDir = defaultRendererDir();
      if (!existsSync(path.join(rendererDir, 'index.html'))) {
        process.stderr.write(
          `tldr-studio: the renderer is not built (${rendererDir}); run \`npm run build\` first\n`,
        );
      }
      if (!LOOPBACK.has(o.host)) {
        process.stderr.write(
          `tldr-studio: warning: listening on ${o.host}, not loopback: anyone who has the token can use the app\n`,
        );
      }
      const workspace = g.workspace ?? defaultWorkspace();
      const server = await startServer({
        workspace,
        host: o.host,
        port,
        rendererDir,
        ...(o.token ? { token: o.token } : {}),
      });
      if (g.json)
        process.stdout.write(
          `${JSON.stringify({ url: server.url, host: server.host, port: server.port, workspace })}\n`,
        );
      else
        process.stdout.write(`TL;DR Studio is serving ${workspace}\nopen ${server.url}\n(Ctrl-C to stop)\n`);
      const why = await (deps.stopped ?? untilSignal)();
      process.stderr.write(`${why}: stopping; a running job saves its checkpoint…\n`);
      await server.close();
    });
}
