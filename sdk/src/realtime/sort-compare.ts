/**
 * Client-side ordering that matches the server's ORDER BY for plain fields: SQLite's type order
 * (null < numbers < text), binary (code point) text comparison, JSON text for lists and objects.
 * Sorts on relation paths, `@random` or `@rowid` cannot be reproduced: parseSort returns null.
 */

export interface SortKey {
  field: string;
  desc: boolean;
}

const PLAIN_FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `-created,+title` → keys; null when some key is not a plain field of the record. */
export function parseSort(sort: string): SortKey[] | null {
  const keys: SortKey[] = [];
  for (const raw of sort.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    const desc = part.startsWith('-');
    const field = part.replace(/^[-+]/, '');
    if (!PLAIN_FIELD.test(field)) return null;
    keys.push({ field, desc });
  }
  return keys;
}

/** Appends `id` as the last key so ties order the same on both sides. */
export function withIdTiebreak(sort: string): string {
  const keys = parseSort(sort);
  if (keys?.some((k) => k.field === 'id')) return sort;
  if (sort.split(',').some((p) => p.trim() === '@random')) return sort;
  return sort.trim() ? `${sort},id` : 'id';
}

function rank(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number' || typeof v === 'boolean') return 1;
  return 2;
}

/** Code point order, as SQLite's BINARY collation compares UTF-8 bytes. */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (ra === 0) return 0;
  if (ra === 1) return Number(a) - Number(b);
  const sa = typeof a === 'string' ? a : JSON.stringify(a);
  const sb = typeof b === 'string' ? b : JSON.stringify(b);
  return compareText(sa, sb);
}

export function recordComparator(keys: SortKey[]): (a: Record<string, unknown>, b: Record<string, unknown>) => number {
  return (a, b) => {
    for (const { field, desc } of keys) {
      const c = compareValues(a[field], b[field]);
      if (c !== 0) return desc ? -c : c;
    }
    return 0;
  };
}
