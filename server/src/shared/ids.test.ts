import { describe, expect, it } from 'vitest';
import { ID_PATTERN, timeOrderedIds } from './ids.ts';

describe('timeOrderedIds', () => {
  it('makes PocketBase-shaped ids that sort by their millisecond', () => {
    const next = timeOrderedIds();
    const ids = [next(1_000), next(1_001), next(2_000_000_000_000), next(2_000_000_000_001)];
    for (const id of ids) expect(id).toMatch(ID_PATTERN);
    expect([...ids].sort()).toEqual(ids);
  });

  it('never repeats an id within one millisecond', () => {
    const next = timeOrderedIds();
    const ids = new Set(Array.from({ length: 40_000 }, () => next(1_764_000_000_000)));
    expect(ids.size).toBe(40_000);
  });

  it('gives each generator its own tag', () => {
    const tags = new Set(Array.from({ length: 20 }, () => timeOrderedIds()(5).slice(9, 12)));
    expect(tags.size).toBeGreaterThan(1);
  });
});
