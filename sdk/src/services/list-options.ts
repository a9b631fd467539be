/** Options of record reads and writes, and their mapping to query parameters. */
import type { RequestOptions } from '../transport/send.ts';
import type { Query } from '../transport/query-string.ts';

export interface ReadOptions<E extends string | undefined = undefined, F extends string | undefined = undefined> extends RequestOptions {
  /** Relations to expand: `'author,comments_via_post.author'` (typed on the result). */
  expand?: E;
  /** Fields to return: `'id,title,expand.author.name'` (`'id,title'` narrows the result type). */
  fields?: F;
  /** Extra query parameters. */
  query?: Query;
}

export interface ListOptions<E extends string | undefined = undefined, F extends string | undefined = undefined> extends ReadOptions<E, F> {
  /** 1-based (default 1). */
  page?: number;
  /** Default 30, at most 1000. */
  perPage?: number;
  /** A filter expression; build it with the `filter` helper when it holds values. */
  filter?: string;
  /** `'-created,title'`. */
  sort?: string;
  /** Skip counting: `totalItems`/`totalPages` come back as -1 (faster). */
  skipTotal?: boolean;
}

export function readQuery(options: ReadOptions<string | undefined, string | undefined>): Query {
  return { ...options.query, expand: options.expand || undefined, fields: options.fields || undefined };
}

export function listQuery(options: ListOptions<string | undefined, string | undefined>): Query {
  return {
    ...readQuery(options),
    page: options.page,
    perPage: options.perPage,
    filter: options.filter || undefined,
    sort: options.sort || undefined,
    skipTotal: options.skipTotal ? 1 : undefined,
  };
}

/** The transport options of a call (signal, timeout, headers). */
export function requestOf(options: RequestOptions): RequestOptions {
  return { signal: options.signal, timeout: options.timeout, headers: options.headers };
}
