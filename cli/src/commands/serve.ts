/** `hearth serve`: run the server until SIGINT/SIGTERM, then shut down gracefully. */
import { Command, Option } from 'commander';
import { createServer } from '@hearth/server';

/** In-flight requests get this long to finish after SIGTERM (systemd's default stop timeout is 90 s). */
const SHUTDOWN_TIMEOUT_MS = 30_000;

export function serveCommand(): Command {
  return new Command('serve')
    .description('Start the web server')
    .option('--http <host:port>', 'address to listen on (default 127.0.0.1:8090, env HEARTH_HTTP)')
    .option('--dir <path>', 'data directory (default ./hearth_data, env HEARTH_DIR)')
    .option('--dev', 'development mode: verbose logs, mails printed to the console, hooks reloaded on change')
    .option('--hooks <dir>', 'folder of hooks files (default <dir>/hearth_hooks, env HEARTH_HOOKS)')
    .addOption(new Option('--durability <mode>', 'normal: a crash of the process loses nothing; full: power loss neither (fsync per commit) (env HEARTH_DURABILITY)').choices(['normal', 'full']))
    .action(async (opts: { http?: string; dir?: string; dev?: boolean; hooks?: string; durability?: 'normal' | 'full' }) => {
      const server = createServer({ http: opts.http, dir: opts.dir, dev: opts.dev, hooksDir: opts.hooks, logLevel: opts.dev ? 'debug' : undefined, durability: opts.durability });
      const { url } = await server.listen();
      process.stdout.write(`Hearth is serving on ${url}\n  REST API:  ${url}/api/\n  Dashboard: ${url}/_/\n  Data dir:  ${server.config.dir}\n`);
      const installToken = server.installToken();
      if (installToken) {
        process.stdout.write(
          `\nNo superuser yet. Create the first one in the dashboard (one-time link, works from any machine):\n` +
            `  ${url}/_/#/install/${installToken}\n` +
            `or with:\n  npx hearth superuser upsert EMAIL PASSWORD --dir ${server.config.dir}\n`,
        );
      }
      let closing = false;
      const shutdown = (signal: string) => {
        if (closing) return;
        closing = true;
        process.stdout.write(`\n${signal}: shutting down…\n`);
        // Connections that do not finish in time must not keep a service manager waiting.
        setTimeout(() => {
          process.stderr.write('hearth: shutdown timed out; exiting\n');
          process.exit(1);
        }, SHUTDOWN_TIMEOUT_MS).unref();
        server.close().then(
          () => process.exit(0),
          (err: unknown) => {
            process.stderr.write(`hearth: shutdown failed: ${String(err)}\n`);
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    });
}
