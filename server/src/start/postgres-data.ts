/**
 * A PostgreSQL database opened by a tool rather than a node (`hearth superuser … --db`): the
 * system tables migrated, the registry loaded and the built-in collections bootstrapped — what
 * openDataDir does for a SQLite data dir. No LISTEN connection and no change feed; the nodes
 * serving the database see what it writes through the database's own notes (settings and schema
 * writes NOTIFY `hearth_notes`).
 */
import { createCollectionsService, openRegistry, type CollectionRegistry } from '../collections/index.ts';
import { migrate, openPostgresEngine, type SqlEngine } from '../db/index.ts';
import { validateRule } from '../rules/index.ts';
import { EventBus } from '../shared/events.ts';

/** Clients a tool needs: one statement at a time, and a transaction beside it. */
const TOOL_POOL_SIZE = 2;

export interface PostgresData {
  engine: SqlEngine;
  registry: CollectionRegistry;
  close(): Promise<void>;
}

export async function openPostgresData(url: string): Promise<PostgresData> {
  const engine = openPostgresEngine(url, { max: TOOL_POOL_SIZE });
  try {
    await migrate(engine);
    const registry = await openRegistry({ engine });
    const collections = createCollectionsService({
      engine,
      registry,
      events: new EventBus(),
      validateRule: (collection, rule, text, catalog) => validateRule(registry, collection, rule, text, catalog),
    });
    await collections.bootstrapSystemCollections();
    return { engine, registry, close: () => engine.close() };
  } catch (err) {
    await engine.close();
    throw err;
  }
}
