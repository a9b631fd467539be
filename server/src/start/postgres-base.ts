/**
 * A server's base on PostgreSQL (`openServer` with `--db postgres://…`): the node's Postgres side
 * (`openPostgresNode`: pool, migrations, LISTEN connection, change feed, peer link), the registry
 * loaded and the built-in collections bootstrapped through the engine, settings read once and
 * written through the engine (other nodes re-read on the settings note), session revocations
 * shared through the database, rate-limit buckets shared through `_rateLimits` (one atomic
 * upsert per check, rate-limit-engine-store.ts). Costly client queries run on the engine's
 * budget pool (`statement_timeout`); other reads inline on the engine.
 *
 * Realtime is the engine's fan-out over the node's change feed. Refused with a 400 there
 * (postgres-refusals.ts): backups (`pg_dump`), `POST /api/sql` (psql), and uploads until S3 is
 * configured (`localFiles` keeps them in the node's data dir: one node only).
 */
import type { Config } from '../config/config.ts';
import { QUERY_BUDGET_MS, type ReadPool, type SqlEngine } from '../db/index.ts';
import { openPostgresNode, type PostgresNode } from '../cluster/postgres-node.ts';
import { EventBus } from '../shared/events.ts';
import type { Logger } from '../shared/logger.ts';
import { createCollectionsService, openRegistry } from '../collections/index.ts';
import { validateRule } from '../rules/index.ts';
import { defaultSettings, openSettingsStore } from '../admin/index.ts';
import { countSuperusers, createEngineBucketStore } from '../auth/index.ts';
import type { EngineBase } from './engine-base.ts';
import { createRealtime } from '../realtime/index.ts';
import { backupsRefused, FILES_ON_POSTGRES, sqlRefused } from './postgres-refusals.ts';
import type { ServerInput } from './server-types.ts';

export async function openPostgresBase(input: ServerInput, config: Config, logger: Logger): Promise<EngineBase> {
  const events = new EventBus();
  const node: PostgresNode = await openPostgresNode({ url: config.db, logger, events, nodeId: input.node?.id, poolSize: input.node?.poolSize, readBudgetMs: input.reads?.budgetMs ?? QUERY_BUDGET_MS });
  try {
    const { engine } = node;
    const registry = await openRegistry({ engine });
    const collections = createCollectionsService({
      engine,
      registry,
      events,
      validateRule: (collection, rule, text, catalog) => validateRule(registry, collection, rule, text, catalog),
    });
    await collections.bootstrapSystemCollections();
    const settings = await openSettingsStore(engine, defaultSettings(`http://${config.http}`));
    if (!settings.get().s3.enabled) {
      logger.warn(
        input.localFiles
          ? `files: uploads are stored in this node's data dir (${config.dir}), which no other node reads`
          : 'files: uploads are refused until S3 is configured in the settings (a node\'s disk is not shared)',
      );
    }
    return {
      engine,
      db: null,
      events,
      registry,
      collections,
      settings,
      superusers: engine,
      superusersExist: (await countSuperusers(engine)) > 0,
      reads: budgetReads(engine, input.reads?.budgetMs ?? QUERY_BUDGET_MS),
      sql: sqlRefused(),
      sharedBuckets: (namespace) => createEngineBucketStore(engine, namespace),
      uploadsNeedS3: input.localFiles ? undefined : FILES_ON_POSTGRES,
      sharedRevocation: true,
      peers: node.peers,
      refreshSchema: () => void collections.refresh().catch((err: unknown) => logger.error('failed to re-read the schema another node changed', err)),
      // The fan-out on the engine, fed by the node's tail of `_changes` (LISTEN-woken).
      openRealtime: (r) => createRealtime({ engine, feed: node.feed, logger, ...r }),
      openBackups: () => backupsRefused(),
      close: () => node.close(),
    };
  } catch (err) {
    await node.close();
    throw err;
  }
}

/** Costly client queries on the engine's budget pool (statement_timeout), as SQLite sends them to its read workers. */
function budgetReads(engine: SqlEngine, budgetMs: number): ReadPool {
  const all = <T>(sql: string, params: readonly unknown[]): Promise<T[]> => engine.allWithin!<T>(sql, params);
  return {
    all,
    pluck: async <T>(sql: string, params: readonly unknown[]) => (await all<Record<string, T>>(sql, params)).map((row) => Object.values(row)[0] as T),
    budgetMs,
    available: true,
    checksRows: false,
    close: async () => {},
  };
}
