/**
 * The collection endpoints that need more than the collections service: the filtered list, the
 * view-query dry run (its sample serialised as records, hidden fields left out) and the scaffolds.
 */
import { toWire, type CollectionRegistry } from '../collections/index.ts';
import { dryRunView } from '../collections/dry-run-view.ts';
import { collectionScaffolds } from '../collections/scaffolds.ts';
import type { SqlDb } from '../db/index.ts';
import { serializeRecord, type ListQuery } from '../records/index.ts';
import { listCollections, type CollectionList } from './list-collections.ts';

export interface CollectionAdmin {
  list(query: ListQuery): CollectionList;
  dryRunView(query: unknown): { fields: unknown[]; sample: Record<string, unknown>[] };
  scaffolds(): Record<string, unknown>;
}

export function createCollectionAdmin(db: SqlDb, registry: CollectionRegistry): CollectionAdmin {
  return {
    list: (query) => listCollections(db, registry, query),
    dryRunView(query) {
      const { collection, rows } = dryRunView(db, registry, query);
      const wire = toWire(collection);
      // No caller info: hidden fields (and secrets) stay out of the sample.
      return { fields: wire.fields as unknown[], sample: rows.map((row) => serializeRecord(collection, row, null)) };
    },
    scaffolds: () => Object.fromEntries(Object.entries(collectionScaffolds()).map(([type, c]) => [type, toWire(c)])),
  };
}
