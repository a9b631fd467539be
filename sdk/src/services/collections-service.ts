/**
 * `client.collections`: the collection admin API (superusers only) — list, read, create,
 * update, delete, truncate and import collection definitions. Definitions are plain JSON in
 * PocketBase's wire shape (`fields`, `indexes`, the rules, `viewQuery`, auth options).
 */
import { collectionPath, type ClientCore } from '../core.ts';
import type { RequestOptions } from '../transport/send.ts';
import type { ListResult } from '../types/records.ts';
import type { CollectionField, CollectionShape } from '../types/collections.ts';

/** What create/update accept: any subset of a definition (the server fills defaults). */
export type CollectionInput = CollectionShape;
export type { CollectionField };

export interface CollectionModel extends CollectionInput {
  id: string;
  name: string;
  type: 'base' | 'auth' | 'view';
  system: boolean;
  fields: CollectionField[];
  indexes: string[];
  listRule: string | null;
  viewRule: string | null;
  createRule: string | null;
  updateRule: string | null;
  deleteRule: string | null;
  created: string;
  updated: string;
}

export class CollectionsService {
  #core: ClientCore;

  constructor(core: ClientCore) {
    this.#core = core;
  }

  list(options: RequestOptions & { page?: number; perPage?: number } = {}): Promise<ListResult<CollectionModel>> {
    const { page, perPage, ...request } = options;
    return this.#core.send('/api/collections', { ...request, query: { page, perPage } });
  }

  /** Every collection, read in pages. */
  async listAll(options: RequestOptions = {}): Promise<CollectionModel[]> {
    const out: CollectionModel[] = [];
    for (let page = 1; ; page++) {
      const result = await this.list({ ...options, page, perPage: 500 });
      out.push(...result.items);
      if (result.items.length < 500) return out;
    }
  }

  /** By name or id. */
  get(nameOrId: string, options: RequestOptions = {}): Promise<CollectionModel> {
    return this.#core.send(collectionPath(nameOrId), options);
  }

  create(definition: CollectionInput, options: RequestOptions = {}): Promise<CollectionModel> {
    return this.#core.send('/api/collections', { ...options, method: 'POST', body: definition });
  }

  update(nameOrId: string, changes: CollectionInput, options: RequestOptions = {}): Promise<CollectionModel> {
    return this.#core.send(collectionPath(nameOrId), { ...options, method: 'PATCH', body: changes });
  }

  async delete(nameOrId: string, options: RequestOptions = {}): Promise<void> {
    await this.#core.send(collectionPath(nameOrId), { ...options, method: 'DELETE' });
  }

  /** Deletes every record of the collection (its files too), keeping the definition. */
  async truncate(nameOrId: string, options: RequestOptions = {}): Promise<void> {
    await this.#core.send(`${collectionPath(nameOrId)}/truncate`, { ...options, method: 'DELETE' });
  }

  /** Creates or replaces many definitions in one transaction; `deleteMissing` drops the rest. */
  async import(collections: CollectionInput[], deleteMissing = false, options: RequestOptions = {}): Promise<void> {
    await this.#core.send('/api/collections/import', { ...options, method: 'PUT', body: { collections, deleteMissing } });
  }
}
