/**
 * `client.collection(name)`: CRUD of one collection's records, typed from the Schema, plus its
 * realtime subscriptions and liveList. Auth flows live in the auth service, not here.
 */
import { collectionPath, type ClientCore } from '../core.ts';
import { HearthError } from '../errors.ts';
import type { RequestOptions } from '../transport/send.ts';
import type { CreateBody, UpdateBody } from '../types/bodies.ts';
import type { Selected, WithExpand, ExpandPaths } from '../types/expand.ts';
import type { ListResult } from '../types/records.ts';
import type { Unsubscribe } from '../realtime/connection.ts';
import type { ChangeEvent, SubscribeOptions } from '../realtime/subscription.ts';
import { createLiveList, type LiveList, type LiveListQuery } from '../realtime/live-list.ts';
import { listQuery, readQuery, requestOf, type ListOptions, type ReadOptions } from './list-options.ts';

type Opt = string | undefined;

/** PocketBase's maximum page size: listAll reads in pages this big. */
const LIST_ALL_PAGE = 1000;

export class RecordService<R, C extends string = string> {
  readonly name: C;
  #core: ClientCore;

  constructor(core: ClientCore, name: C) {
    this.#core = core;
    this.name = name;
  }

  get #base(): string {
    return `${collectionPath(this.name)}/records`;
  }

  #recordPath(id: string): string {
    return `${this.#base}/${encodeURIComponent(id)}`;
  }

  /** One page of records. */
  list<E extends Opt = undefined, F extends Opt = undefined>(options: ListOptions<E, F> = {}): Promise<ListResult<Selected<R, E, F>>> {
    return this.#core.send(this.#base, { ...requestOf(options), query: listQuery(options) });
  }

  /** Every matching record, read in pages of 1000 without counting. */
  async listAll<E extends Opt = undefined, F extends Opt = undefined>(
    options: Omit<ListOptions<E, F>, 'page' | 'perPage' | 'skipTotal'> & { batch?: number } = {},
  ): Promise<Selected<R, E, F>[]> {
    const perPage = options.batch ?? LIST_ALL_PAGE;
    const out: Selected<R, E, F>[] = [];
    for (let page = 1; ; page++) {
      const result = await this.list<E, F>({ ...options, page, perPage, skipTotal: true });
      out.push(...result.items);
      if (result.items.length < perPage) return out;
    }
  }

  /** The first record matching `filter`; rejects with a 404 HearthError when there is none. */
  async first<E extends Opt = undefined, F extends Opt = undefined>(
    filter: string,
    options: Omit<ListOptions<E, F>, 'filter' | 'page' | 'perPage' | 'skipTotal'> = {},
  ): Promise<Selected<R, E, F>> {
    const result = await this.list<E, F>({ ...options, filter, page: 1, perPage: 1, skipTotal: true });
    const item = result.items[0];
    if (item === undefined) {
      throw new HearthError({ status: 404, message: "The requested resource wasn't found.", url: this.#base });
    }
    return item;
  }

  get<E extends Opt = undefined, F extends Opt = undefined>(id: string, options: ReadOptions<E, F> = {}): Promise<Selected<R, E, F>> {
    return this.#core.send(this.#recordPath(id), { ...requestOf(options), query: readQuery(options) });
  }

  /** Creates a record; File/Blob values are uploaded as multipart. */
  create<E extends Opt = undefined, F extends Opt = undefined>(
    body: CreateBody<R>,
    options: ReadOptions<E, F> = {},
  ): Promise<Selected<R, E, F>> {
    return this.#core.send(this.#base, { ...requestOf(options), method: 'POST', query: readQuery(options), body });
  }

  /** Partial update; supports modifiers (`{ 'views+': 1, 'tags-': 'old' }`). */
  update<E extends Opt = undefined, F extends Opt = undefined>(
    id: string,
    body: UpdateBody<R>,
    options: ReadOptions<E, F> = {},
  ): Promise<Selected<R, E, F>> {
    return this.#core.send(this.#recordPath(id), { ...requestOf(options), method: 'PATCH', query: readQuery(options), body });
  }

  async delete(id: string, options: RequestOptions = {}): Promise<void> {
    await this.#core.send(this.#recordPath(id), { ...requestOf(options), method: 'DELETE' });
  }

  /**
   * Live changes of this collection (optionally one record, a filter, expanded relations).
   * Resolves with an unsubscribe function once the server confirmed the subscription.
   */
  subscribe<E extends Opt = undefined>(
    options: SubscribeOptions & { expand?: E },
    handler: (event: ChangeEvent<WithExpand<R, ExpandPaths<E>>>) => void,
  ): Promise<Unsubscribe> {
    return this.#core.realtime().subscribe(this.name, options, handler as unknown as (event: ChangeEvent) => void);
  }

  /** A first page kept up to date from change events (see LiveList). */
  liveList<E extends Opt = undefined>(query: LiveListQuery<E> = {}): LiveList<WithExpand<R, ExpandPaths<E>>> {
    type Item = WithExpand<R, ExpandPaths<E>> & { id: string };
    const list = createLiveList<Item>(
      {
        list: (o) => this.list(o) as unknown as Promise<ListResult<Item>>,
        subscribe: (o, h) => this.#core.realtime().subscribe(this.name, o, h),
      },
      query,
    );
    return list as unknown as LiveList<WithExpand<R, ExpandPaths<E>>>;
  }
}
