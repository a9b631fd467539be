/**
 * The pure core of liveList: applies one change event to a sorted first page. When the outcome
 * depends on records the page does not hold (an item leaving a full page, one sorting past its
 * end, an order the client cannot compute) it asks for a refetch instead of guessing.
 */
import type { ChangeAction } from './protocol.ts';

export interface PageState<R> {
  items: R[];
  /** Matching records on the server (the page may hold fewer). */
  totalItems: number;
  perPage: number;
}

export interface ReduceResult<R> {
  state: PageState<R>;
  /** The page can no longer be derived from events alone: list it again. */
  refetch: boolean;
}

type Keyed = { id: string; updated?: unknown };

/** Index of the first item that sorts strictly after `record` (ties keep arrival order). */
function upperBound<R>(items: R[], record: R, compare: (a: R, b: R) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(items[mid]!, record) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** An event older than what the page shows (e.g. buffered during a fetch that already saw it). */
function isStale(current: Keyed | undefined, incoming: Keyed): boolean {
  return typeof current?.updated === 'string' && typeof incoming.updated === 'string' && incoming.updated < current.updated;
}

export function applyChange<R extends Keyed>(
  state: PageState<R>,
  action: ChangeAction,
  record: R,
  compare: ((a: R, b: R) => number) | null,
): ReduceResult<R> {
  if (!compare) return { state, refetch: true };
  const index = state.items.findIndex((r) => r.id === record.id);
  const current = index >= 0 ? state.items[index] : undefined;
  const rest = index >= 0 ? state.items.filter((_, i) => i !== index) : state.items;
  const unseenBefore = state.totalItems - state.items.length; // matching records beyond the page

  if (action === 'delete') {
    if (!current) return { state: { ...state, totalItems: Math.max(state.items.length, state.totalItems - 1) }, refetch: false };
    return { state: { ...state, items: rest, totalItems: state.totalItems - 1 }, refetch: unseenBefore > 0 };
  }

  if (isStale(current, record)) return { state, refetch: false };
  const totalItems = state.totalItems + (action === 'create' && !current ? 1 : 0);
  const unseen = totalItems - rest.length - 1; // matching records beyond the page, not counting this one
  const pos = upperBound(rest, record, compare);
  if (pos < rest.length) {
    const items = [...rest.slice(0, pos), record, ...rest.slice(pos)].slice(0, state.perPage);
    return { state: { ...state, items, totalItems }, refetch: false };
  }
  if (unseen <= 0 && rest.length < state.perPage) {
    return { state: { ...state, items: [...rest, record], totalItems }, refetch: false };
  }
  if (current) {
    // It moved to the end of a page with unseen records after it: where it belongs is unknown.
    return { state: { ...state, items: [...rest, record].slice(0, state.perPage), totalItems }, refetch: true };
  }
  return { state: { ...state, totalItems }, refetch: false }; // sorts past a full page
}
