/**
 * `hearth serve`: run the server until SIGINT/SIGTERM, then shut down gracefully. With
 * `--workers N` (default: one per core) a primary process holds the data dir and N worker
 * processes serve it (see docs/deploy.md); `--workers 1` is a single process. With `--db
 * postgres://…` (or HEARTH_DB) the process is one node on that database (docs/scaling.md): it
 * runs no workers, and more nodes are more `hearth serve` processes.
 */
import { Command, Option } from 'commander';
import type { ServerInput } from '@hearth/server';
// A cluster's primary loads only this light entry; workers and a single process load the server.
import { isClusterWorker, resolveWorkerCount, startCluster } from '@hearth/server/cluster';

/** In-flight requests get this long to finish after SIGTERM (systemd's default stop timeout is 90 s). */
const SHUTDOWN_TIMEOUT_MS = 30_000;

interface ServeOptions {
  http?: string;
  dir?: string;
  dev?: boolean;
  hooks?: string;
  durability?: 'normal' | 'full';
  workers?: string;
  db?: string;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('Start the web server')
    .option('--http <host:port>', 'address to listen on (default 127.0.0.1:8090, env HEARTH_HTTP)')
    .option('--dir <path>', 'data directory (default ./hearth_data, env HEARTH_DIR)')
    .option('--dev', 'development mode: verbose logs, mails printed to the console, hooks reloaded on change')
    .option('--hooks <dir>', 'folder of hooks files (default <dir>/hearth_hooks, env HEARTH_HOOKS)')
    .addOption(new Option('--durability <mode>', 'normal: a crash of the process loses nothing; full: power loss neither (fsync per commit) (env HEARTH_DURABILITY)').choices(['normal', 'full']))
    .option('--db <url>', 'the database: postgres://… for PostgreSQL (env HEARTH_DB; default SQLite in the data dir; see docs/scaling.md)')
    .option('--workers <n>', 'worker processes serving requests (default one per core, env HEARTH_WORKERS; 1 = a single process)')
    .action(async (opts: ServeOptions) => {
      const input: ServerInput = { http: opts.http, dir: opts.dir, dev: opts.dev, hooksDir: opts.hooks, logLevel: opts.dev ? 'debug' : undefined, durability: opts.durability, db: opts.db };
      if (isClusterWorker()) {
        const { runWorker } = await import('@hearth/server');
        await runWorker(input, SHUTDOWN_TIMEOUT_MS);
        return;
      }
      const onPostgres = (opts.db ?? process.env.HEARTH_DB ?? '') !== '';
      // A node on Postgres is one process; an explicit --workers above 1 is refused by startCluster.
      const workers = onPostgres && opts.workers === undefined && !process.env.HEARTH_WORKERS ? 1 : resolveWorkerCount(opts.workers);
      let stop: () => Promise<void>;
      if (workers === 1) {
        const { openServer } = await import('@hearth/server');
        const server = await openServer(input);
        const { url } = await server.listen();
        banner(url, server.config.dir, server.installToken(), 1, onPostgres);
        stop = () => server.close();
      } else {
        const cluster = await startCluster(input, workers);
        banner(cluster.url, cluster.dir, cluster.installToken, workers);
        stop = () => cluster.close();
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
        }, SHUTDOWN_TIMEOUT_MS + 5_000).unref();
        stop().then(
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

function banner(url: string, dir: string, installToken: string | null, workers: number, onPostgres = false): void {
  const procs = workers === 1 ? '' : `  Workers:   ${workers}\n`;
  const database = onPostgres ? '  Database:  PostgreSQL (this process is one node)\n' : '';
  let text = `Hearth is serving on ${url}\n  REST API:  ${url}/api/\n  Dashboard: ${url}/_/\n  Data dir:  ${dir}\n${database}${procs}`;
  if (installToken) {
    text += `\nNo superuser yet. Create the first one in the dashboard (one-time link, works from any machine):\n  ${url}/_/#/install/${installToken}\n`;
    if (!onPostgres) text += `or with:\n  npx hearth superuser upsert EMAIL PASSWORD --dir ${dir}\n`;
  }
  process.stdout.write(text);
}
