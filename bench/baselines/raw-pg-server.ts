/**
 * Baseline (a) on PostgreSQL: hand-written node:http + `pg`, the physical limit of a Postgres
 * deployment of this stack — the router of raw-server.ts, the handlers of pg-handlers.ts.
 * Flags: --port N --db postgres://… --secret S --dataset '{"sizes":…,"seed":N}'; it creates and
 * seeds the bench tables in that database (dropping any of the same names).
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { generateDataset, type DatasetSizes } from '../scenarios/dataset.ts';
import { onShutdown } from './boot.ts';
import { createPgTablesAndSeed, openBaselinePool } from './pg-database.ts';
import { createPgHandlers } from './pg-handlers.ts';
import { createRawRouter } from './raw-router.ts';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { port: { type: 'string' }, db: { type: 'string' }, secret: { type: 'string' }, dataset: { type: 'string' } },
});
if (!values.port || !values.db || !values.secret || !values.dataset) throw new Error('usage: --port N --db URL --secret S --dataset JSON');
const spec = JSON.parse(values.dataset) as { sizes: DatasetSizes; seed: number };
const pool = openBaselinePool(values.db);
await createPgTablesAndSeed(pool, generateDataset(spec.sizes, spec.seed), new Date().toISOString().replace('T', ' '));

const server = createServer(createRawRouter(createPgHandlers(pool, values.secret)));
server.listen(Number(values.port), '127.0.0.1');
onShutdown((done) => server.close(done), () => void pool.end());
