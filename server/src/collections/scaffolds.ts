/**
 * `GET /api/collections/meta/scaffolds`: the blank collection of each type (system fields, default
 * options and indexes) that an admin UI starts a new collection from. Nothing is saved; ids and
 * names are empty and no token secret is made.
 */
import type { Collection, CollectionType } from './model.ts';
import { defaultAuthOptions, withSystemFields } from './system-fields.ts';
import { planIndexes } from './validate-indexes.ts';

function blank(type: CollectionType): Collection {
  const fields = withSystemFields(type, []);
  const collection: Collection = {
    id: '',
    name: '',
    type,
    system: false,
    fields,
    indexes: planIndexes({ id: '', name: '', type, fields }),
    listRule: null,
    viewRule: null,
    createRule: null,
    updateRule: null,
    deleteRule: null,
    created: '',
    updated: '',
  };
  if (type === 'view') collection.viewQuery = '';
  if (type === 'auth') {
    const { tokenSecret: _secret, ...options } = defaultAuthOptions();
    collection.auth = options;
  }
  return collection;
}

export function collectionScaffolds(): Record<CollectionType, Collection> {
  return { auth: blank('auth'), base: blank('base'), view: blank('view') };
}
