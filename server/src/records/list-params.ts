/** Parses and bounds the list query parameters (page, perPage, skipTotal). */
import { badRequest } from '../shared/errors.ts';

export const DEFAULT_PER_PAGE = 30;
/** PocketBase's maximum; the PB SDK's getFullList asks for pages of 1000. */
export const MAX_PER_PAGE = 1000;
/** Past a million pages a client should narrow with a filter; also keeps OFFSET arithmetic exact. */
export const MAX_PAGE = 1_000_000;

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

function positiveInt(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,10}$/.test(raw.trim())) {
    throw badRequest(`Invalid "${name}": must be a whole number between 1 and ${max}.`, {
      [name]: { code: 'validation_invalid_value', message: `Must be a whole number between 1 and ${max}.` },
    });
  }
  const n = Number(raw.trim());
  if (n < 1 || n > max) {
    throw badRequest(`Invalid "${name}": must be between 1 and ${max}.`, {
      [name]: { code: 'validation_invalid_value', message: `Must be between 1 and ${max}.` },
    });
  }
  return n;
}

export function parsePaging(q: ListQuery): Paging {
  return {
    page: positiveInt('page', q.page, 1, MAX_PAGE),
    perPage: positiveInt('perPage', q.perPage, DEFAULT_PER_PAGE, MAX_PER_PAGE),
    skipTotal: q.skipTotal === 'true' || q.skipTotal === '1',
  };
}
