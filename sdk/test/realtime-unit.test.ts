/**
 * The pure parts of realtime, without a server: backoff delays, the liveList reducer (checked
 * against "sort the full set and take the first page" on random change sequences), client-side
 * ordering, and a subscription's seq bookkeeping (dedup of replays, resync handshake).
 */
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { backoffDelay } from '../src/realtime/backoff.ts';
import { applyChange, type PageState } from '../src/realtime/live-list-reducer.ts';
import { compareText, compareValues, parseSort, recordComparator, withIdTiebreak } from '../src/realtime/sort-compare.ts';
import { Subscription } from '../src/realtime/subscription.ts';
import { HearthError } from '../src/errors.ts';

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, with jitter inside [d·(1−j), d]', () => {
    const o = { initialDelay: 100, maxDelay: 5000, factor: 2, jitter: 0.5 };
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, o, () => 0))).toEqual([100, 200, 400, 800]);
    expect(backoffDelay(20, o, () => 0)).toBe(5000);
    expect(backoffDelay(3, o, () => 1)).toBe(400);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(4, o);
      expect(d).toBeGreaterThanOrEqual(800);
      expect(d).toBeLessThanOrEqual(1600);
    }
  });

  it('spreads clients apart (jitter) and clamps odd options', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(5)));
    expect(delays.size).toBeGreaterThan(10);
    expect(backoffDelay(2, { initialDelay: 100, jitter: 7 }, () => 1)).toBe(0);
    expect(backoffDelay(-3, { initialDelay: 100, jitter: 0 })).toBe(100);
  });
});

describe('client-side ordering', () => {
  it('parses sorts and refuses what the client cannot reproduce', () => {
    expect(parseSort('-created, +title,views')).toEqual([
      { field: 'created', desc: true },
      { field: 'title', desc: false },
      { field: 'views', desc: false },
    ]);
    expect(parseSort('author.name')).toBeNull();
    expect(parseSort('@random')).toBeNull();
    expect(withIdTiebreak('')).toBe('id');
    expect(withIdTiebreak('-views')).toBe('-views,id');
    expect(withIdTiebreak('-id')).toBe('-id');
  });

  it("follows SQLite: null < numbers < text, text by code point, lists as JSON text", () => {
    expect(compareValues(null, 0)).toBeLessThan(0);
    expect(compareValues(10, 9)).toBeGreaterThan(0);
    expect(compareValues(true, false)).toBeGreaterThan(0);
    expect(compareValues(5, 'a')).toBeLessThan(0);
    expect(compareText('Z', 'a')).toBeLessThan(0);
    expect(compareText('\uffff', '😀')).toBeLessThan(0); // UTF-16 order would say the opposite
    expect(compareText('ab', 'abc')).toBeLessThan(0);
    expect(compareValues(['a'], ['b'])).toBeLessThan(0);
    const cmp = recordComparator([{ field: 'views', desc: true }, { field: 'id', desc: false }]);
    expect([{ id: 'b', views: 1 }, { id: 'a', views: 1 }, { id: 'c', views: 2 }].sort(cmp).map((r) => r.id)).toEqual(['c', 'a', 'b']);
  });
});

type Rec = { id: string; views: number; updated: string };
const cmp = recordComparator(parseSort('-views,id')!) as (a: Rec, b: Rec) => number;

/** What a fresh `list` would return for this full set. */
const firstPage = (all: Map<string, Rec>, perPage: number) => [...all.values()].sort(cmp).slice(0, perPage);

describe('liveList reducer', () => {
  it('equals a fresh first page after any sequence of changes (refetching when it says so)', () => {
    const op = fc.record({
      kind: fc.constantFrom('create', 'update', 'delete'),
      id: fc.integer({ min: 0, max: 14 }).map((n) => `r${String(n).padStart(2, '0')}`),
      views: fc.integer({ min: 0, max: 6 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 1, max: 6 }), (ops, perPage) => {
        const all = new Map<string, Rec>();
        let state: PageState<Rec> = { items: [], totalItems: 0, perPage };
        let clock = 0;
        for (const o of ops) {
          const exists = all.has(o.id);
          const action = o.kind === 'delete' ? (exists ? 'delete' : null) : exists ? 'update' : 'create';
          if (!action) continue;
          const rec = { id: o.id, views: o.views, updated: String(++clock).padStart(6, '0') };
          if (action === 'delete') all.delete(o.id);
          else all.set(o.id, rec);
          const result = applyChange(state, action, action === 'delete' ? all.get(o.id) ?? rec : rec, cmp);
          state = result.refetch ? { items: firstPage(all, perPage), totalItems: all.size, perPage } : result.state;
          expect(state.items).toEqual(firstPage(all, perPage));
          expect(state.totalItems).toBe(all.size);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('ignores an update older than what the page shows, and refetches when it cannot order', () => {
    const page: PageState<Rec> = { items: [{ id: 'a', views: 5, updated: '2' }], totalItems: 1, perPage: 5 };
    expect(applyChange(page, 'update', { id: 'a', views: 1, updated: '1' }, cmp)).toEqual({ state: page, refetch: false });
    expect(applyChange(page, 'create', { id: 'b', views: 1, updated: '3' }, null).refetch).toBe(true);
  });
});

describe('Subscription bookkeeping', () => {
  const make = (onResync = vi.fn(), onError = vi.fn()) => {
    const handler = vi.fn();
    const settle = { resolve: vi.fn(), reject: vi.fn() };
    const sub = new Subscription('s1', 'posts', { filter: 'a = 1', onResync, onError }, handler, settle);
    return { sub, handler, settle, onResync, onError };
  };

  it('resumes after the last seen seq and drops replayed duplicates', () => {
    const { sub, handler, settle } = make();
    expect(sub.subscribeMessage()).toMatchObject({ type: 'subscribe', id: 's1', collection: 'posts', filter: 'a = 1', since: undefined });
    sub.onSubscribed(10);
    expect(settle.resolve).toHaveBeenCalledOnce();
    expect(sub.onChange(10, 'create', { id: 'x' })).toBe(false);
    expect(sub.onChange(11, 'create', { id: 'x' })).toBe(true);
    expect(sub.onChange(12, 'update', { id: 'x' })).toBe(true);
    expect(sub.subscribeMessage()).toMatchObject({ since: 12 });
    sub.onSubscribed(30); // a resumed subscription: replay of 13.. follows, keep 12
    expect(sub.onChange(11, 'update', { id: 'x' })).toBe(false);
    expect(sub.onChange(13, 'update', { id: 'x' })).toBe(true);
    expect(handler.mock.calls.map((c) => c[0].seq)).toEqual([11, 12, 13]);
  });

  it('after a resync starts fresh, then tells the caller once live again', () => {
    const { sub, handler, onResync } = make();
    sub.onSubscribed(5);
    sub.onResync();
    expect(sub.subscribeMessage()).toMatchObject({ since: undefined });
    expect(sub.onChange(6, 'create', { id: 'x' })).toBe(false);
    expect(onResync).not.toHaveBeenCalled();
    sub.onSubscribed(900);
    expect(onResync).toHaveBeenCalledOnce();
    expect(sub.onChange(900, 'create', { id: 'y' })).toBe(false);
    expect(sub.onChange(901, 'create', { id: 'y' })).toBe(true);
    expect(handler).toHaveBeenCalledOnce();
  });

  it('rejects the pending subscribe on refusal, and reports later errors through onError', () => {
    const first = make();
    const err = new HearthError({ status: 403, message: 'no' });
    first.sub.onError(err);
    expect(first.settle.reject).toHaveBeenCalledWith(err);
    const later = make();
    later.sub.onSubscribed(1);
    later.sub.onError(err);
    expect(later.onError).toHaveBeenCalledWith(err);
  });
});
