/**
 * liveList: a sorted, filtered first page kept equal to what `list` would return, from change
 * events. Subscribes first, then lists (events arriving meanwhile are applied afterwards), and
 * lists again on resync or whenever the reducer cannot derive the page.
 */
import { Listeners } from '../listeners.ts';
import type { ListResult } from '../types/records.ts';
import { applyChange, type PageState } from './live-list-reducer.ts';
import { parseSort, recordComparator, withIdTiebreak } from './sort-compare.ts';
import type { Unsubscribe } from './connection.ts';
import type { ChangeEvent, SubscribeOptions } from './subscription.ts';

export interface LiveListQuery<E extends string | undefined = undefined> {
  filter?: string;
  /** The order (an `id` tiebreak is appended so client and server agree on ties). */
  sort?: string;
  /** Page size (default 50). */
  perPage?: number;
  expand?: E;
}

export interface LiveList<R> {
  readonly items: readonly R[];
  readonly totalItems: number;
  /** Resolves once the first page is loaded and live; rejects if that failed. */
  readonly ready: Promise<void>;
  /** Called with the new items after every change; returns an unsubscribe. */
  onChange(listener: (items: readonly R[]) => void): () => void;
  /** Errors of background refetches. */
  onError(listener: (error: unknown) => void): () => void;
  /** Lists the page again. */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

export interface LiveListDeps<R> {
  list(options: { page: number; perPage: number; filter?: string; sort: string; expand?: string }): Promise<ListResult<R>>;
  subscribe(options: SubscribeOptions, handler: (event: ChangeEvent) => void): Promise<Unsubscribe>;
}

const DEFAULT_PER_PAGE = 50;

export function createLiveList<R extends { id: string }>(deps: LiveListDeps<R>, query: LiveListQuery<string | undefined>): LiveList<R> {
  const sort = withIdTiebreak(query.sort ?? '');
  const keys = parseSort(sort);
  const compare = keys ? (recordComparator(keys) as unknown as (a: R, b: R) => number) : null;
  let state: PageState<R> = { items: [], totalItems: 0, perPage: query.perPage ?? DEFAULT_PER_PAGE };
  let unsubscribe: Unsubscribe | null = null;
  let closed = false;
  let fetching: Promise<void> | null = null;
  let fetchAgain = false;
  const buffered: ChangeEvent[] = [];
  const listeners = new Listeners<readonly R[]>();
  const errorListeners = new Listeners<unknown>();
  const notify = () => listeners.emit(state.items);

  const apply = (event: ChangeEvent) => {
    const result = applyChange(state, event.action, event.record as unknown as R, compare);
    state = result.state;
    if (result.refetch) void refetch().catch(report);
  };

  const report = (err: unknown) => errorListeners.emit(err);

  async function fetchPage(): Promise<void> {
    do {
      fetchAgain = false;
      const page = await deps.list({ page: 1, perPage: state.perPage, filter: query.filter, sort, expand: query.expand });
      state = { ...state, items: page.items, totalItems: page.totalItems };
      for (const event of buffered.splice(0)) apply(event);
    } while (fetchAgain && !closed);
  }

  /** One fetch at a time; a request during a fetch runs one more round after it. */
  function refetch(): Promise<void> {
    if (fetching) {
      fetchAgain = true;
      return fetching;
    }
    fetching = fetchPage().finally(() => {
      fetching = null;
      if (!closed) notify();
    });
    return fetching;
  }

  const onEvent = (event: ChangeEvent) => {
    if (closed) return;
    if (fetching) {
      buffered.push(event);
      return;
    }
    apply(event);
    notify();
  };

  const ready = (async () => {
    const options: SubscribeOptions = { filter: query.filter, expand: query.expand, onResync: () => void refetch().catch(report) };
    unsubscribe = await deps.subscribe(options, onEvent);
    if (closed) await unsubscribe();
    else await refetch();
  })();
  ready.catch(() => undefined);

  return {
    get items() {
      return state.items;
    },
    get totalItems() {
      return state.totalItems;
    },
    ready,
    onChange: (listener) => listeners.add(listener),
    onError: (listener) => errorListeners.add(listener),
    refresh: refetch,
    async close() {
      closed = true;
      await unsubscribe?.();
    },
  };
}
