/** Reads the list query parameters (page, perPage, skipTotal), normalised as PocketBase does. */

export const DEFAULT_PER_PAGE = 30;
/** PocketBase's maximum; the PB SDK's getFullList asks for pages of 1000. */
export const MAX_PER_PAGE = 1000;
/**
 * Pages past this are clamped to it: a billion pages of 1000 rows is beyond any table, so the
 * answer (no items) is the same, and OFFSET arithmetic stays exact.
 */
export const MAX_PAGE = 1_000_000_000;

export interface ListQuery {
  page?: string;
  perPage?: string;
  sort?: string;
  filter?: string;
  expand?: string;
  fields?: string;
  skipTotal?: string;
}

export interface Paging {
  page: number;
  perPage: number;
  skipTotal: boolean;
}

/** PocketBase's reading of a number parameter: anything that is not an integer counts as 0. */
function intOf(raw: string | undefined): number {
  const text = (raw ?? '').trim();
  return /^[-+]?\d{1,16}$/.test(text) ? Number(text) : 0;
}

/** Normalised as PocketBase does: page < 1 → 1, perPage ≤ 0 → 30, perPage > 1000 → 1000. */
export function parsePaging(q: ListQuery): Paging {
  const page = intOf(q.page);
  const perPage = intOf(q.perPage);
  return {
    page: page < 1 ? 1 : Math.min(page, MAX_PAGE),
    perPage: perPage <= 0 ? DEFAULT_PER_PAGE : Math.min(perPage, MAX_PER_PAGE),
    skipTotal: q.skipTotal === 'true' || q.skipTotal === '1',
  };
}
