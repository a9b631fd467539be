/**
 * Shared start-up of both baseline servers: flags → open the db in the data dir → create and
 * seed the tables → handlers. Flags: --port N --dir PATH --secret S --dataset '{"sizes":…,"seed":N}'.
 */
import { parseArgs } from 'node:util';
import { generateDataset, type DatasetSizes } from '../scenarios/dataset.ts';
import { createTablesAndSeed, openBaselineDb } from './database.ts';
import { createHandlers, type Handlers } from './handlers.ts';

export interface Boot {
  port: number;
  handlers: Handlers;
  close(): void;
}

export function boot(argv: string[]): Boot {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      dir: { type: 'string' },
      secret: { type: 'string' },
      dataset: { type: 'string' },
    },
  });
  if (!values.port || !values.dir || !values.secret || !values.dataset) {
    throw new Error('usage: --port N --dir PATH --secret S --dataset JSON');
  }
  const spec = JSON.parse(values.dataset) as { sizes: DatasetSizes; seed: number };
  const db = openBaselineDb(values.dir);
  createTablesAndSeed(db, generateDataset(spec.sizes, spec.seed), new Date().toISOString().replace('T', ' '));
  return {
    port: Number(values.port),
    handlers: createHandlers(db, values.secret),
    close: () => {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}

/** Graceful stop on SIGINT/SIGTERM: close the listener, then the db (flushes --cpu-prof too). */
export function onShutdown(stop: (done: () => void) => void, close: () => void): void {
  const handler = (): void => {
    stop(() => {
      close();
      process.exit(0);
    });
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}
