import { describe, expect, it } from 'vitest';
import { createEntryQueue, ROW_COLUMNS } from './entry-queue.ts';

const rowsOf = (params: unknown[]): unknown[][] => {
  const rows: unknown[][] = [];
  for (let i = 0; i < params.length; i += ROW_COLUMNS) rows.push(params.slice(i, i + ROW_COLUMNS));
  return rows;
};

describe('log entry queue', () => {
  it('gives back every entry in order, text as written (multi-byte too), across batches', () => {
    const q = createEntryQueue();
    q.push('a', 0, 'GET /é', '{"x":"ü€😀"}', '2026-01-01 00:00:00.000Z');
    q.push('b', -4, '', '{}', 't2');
    q.push('c', 8.5, 'm3', '{"y":1}', 't3');
    expect(q.length).toBe(3);
    expect(rowsOf(q.take(2))).toEqual([
      ['a', 0, 'GET /é', '{"x":"ü€😀"}', '2026-01-01 00:00:00.000Z'],
      ['b', -4, '', '{}', 't2'],
    ]);
    expect(q.length).toBe(1);
    q.push('d', 4, 'm4', '{}', 't4');
    expect(rowsOf(q.take(10))).toEqual([
      ['c', 8.5, 'm3', '{"y":1}', 't3'],
      ['d', 4, 'm4', '{}', 't4'],
    ]);
    expect(q.length).toBe(0);
    expect(q.take(5)).toEqual([]);
  });

  it('grows past its initial room in bytes and in entries and keeps every entry whole', () => {
    const q = createEntryQueue();
    const big = 'ж'.repeat(100_000);
    const n = 3000;
    for (let i = 0; i < n; i++) q.push(`id${i}`, i, i % 500 === 0 ? big : `m${i}`, `{"i":${i}}`, `c${i}`);
    expect(q.length).toBe(n);
    const rows = rowsOf(q.take(n));
    expect(rows).toHaveLength(n);
    for (let i = 0; i < n; i++) expect(rows[i]).toEqual([`id${i}`, i, i % 500 === 0 ? big : `m${i}`, `{"i":${i}}`, `c${i}`]);
    // Emptied, it starts over at its small size and still works.
    q.push('z', 0, 'after', '{}', 'c');
    expect(rowsOf(q.take(1))).toEqual([['z', 0, 'after', '{}', 'c']]);
  });
});
