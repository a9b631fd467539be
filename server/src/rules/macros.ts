/** Date macros of the filter language (`@now`, `@todayStart`, …), as UTC strings in record format. */
import { formatDate } from '../shared/clock.ts';
import type { SqlValue } from '../query/resolver.ts';

const startOfDay = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
const endOfDay = (d: Date): Date => new Date(startOfDay(d).getTime() + 86_400_000 - 1);

const MACROS: Record<string, (now: Date) => SqlValue> = {
  '@now': (n) => formatDate(n),
  '@yesterday': (n) => formatDate(new Date(n.getTime() - 86_400_000)),
  '@tomorrow': (n) => formatDate(new Date(n.getTime() + 86_400_000)),
  '@todayStart': (n) => formatDate(startOfDay(n)),
  '@todayEnd': (n) => formatDate(endOfDay(n)),
  '@monthStart': (n) => formatDate(new Date(Date.UTC(n.getUTCFullYear(), n.getUTCMonth(), 1))),
  '@monthEnd': (n) => formatDate(new Date(Date.UTC(n.getUTCFullYear(), n.getUTCMonth() + 1, 1) - 1)),
  '@yearStart': (n) => formatDate(new Date(Date.UTC(n.getUTCFullYear(), 0, 1))),
  '@yearEnd': (n) => formatDate(new Date(Date.UTC(n.getUTCFullYear() + 1, 0, 1) - 1)),
  '@second': (n) => n.getUTCSeconds(),
  '@minute': (n) => n.getUTCMinutes(),
  '@hour': (n) => n.getUTCHours(),
  '@day': (n) => n.getUTCDate(),
  '@month': (n) => n.getUTCMonth() + 1,
  '@year': (n) => n.getUTCFullYear(),
  '@weekday': (n) => n.getUTCDay(),
};

export function dateMacro(name: string, now: Date = new Date()): SqlValue | undefined {
  const fn = MACROS[name];
  return fn ? fn(now) : undefined;
}
