import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatDate, now } from './clock.ts';

afterEach(() => vi.restoreAllMocks());

describe('now()', () => {
  it('is formatDate of the current millisecond, across millisecond and second boundaries', () => {
    const instants = [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 1_764_642_441_009, 1_764_642_441_099, 1_764_642_441_999, 1_764_642_442_000, 1_764_642_442_007, 1_764_642_441_123];
    for (const t of instants) {
      vi.spyOn(Date, 'now').mockReturnValue(t);
      expect(now()).toBe(formatDate(new Date(t)));
    }
  });
});
