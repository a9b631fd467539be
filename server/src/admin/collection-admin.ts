/**
 * The collection endpoints that need more than the collections service: the filtered list, the
 * view-query dry run (its sample serialised as records, hidden fields left out) and the scaffolds.
 */
import { toWire, type CollectionRegistry } from '../collections/index.ts';
import { dryRunViewOn } from '../collections/dry-run-view.ts';
import { collectionScaffolds } from '../collections/scaffolds.ts';
import type { SqlEngine } from '../db/index.ts';
import { serializeRecord, type ListQuery } from '../records/index.ts';
import { listCollections, type CollectionList } from './list-collections.ts';

export interface CollectionAdmin {
  list(query: ListQuery): Promise<CollectionList>;
  dryRunView(query: unknown): Promise<{ fields: unknown[]; sample: Record<string, unknown>[] }>;
  scaffolds(): Record<string, unknown>;
}

export function createCollectionAdmin(engine: SqlEngine, registry: CollectionRegistry): CollectionAdmin {
  return {
    list: (query) => listCollections(engine, registry, query),
    async dryRunView(query) {
      const { collection, rows } = await dryRunViewOn(engine, registry, query);
      const wire = toWire(collection);
      // No caller info: hidden fields (and secrets) stay out of the sample.
      return { fields: wire.fields as unknown[], sample: rows.map((row) => serializeRecord(collection, row, null)) };
    },
    scaffolds: () => Object.fromEntries(Object.entries(collectionScaffolds()).map(([type, c]) => [type, toWire(c)])),
  };
}
