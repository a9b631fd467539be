/**
 * Which tables a connection's own statements may have written, for caches of rows that must stay
 * exact (the auth record behind a token): a counter per table that every statement writing it
 * moves, and one for everything — DDL and scripts, statements whose target is not a plain table
 * name — that moves them all. Commits of other connections are not seen here; `PRAGMA
 * data_version` covers those (database.ts combines both into one mark).
 */

/** String literals and comments, which may hold any text and name no target. */
const NOISE = /'(?:[^']|'')*'|--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)/g;
const IDENT = '(?:"(?:[^"]|"")*"|`(?:[^`]|``)*`|\\[[^\\]]*\\]|[A-Za-z_\\u0080-\\uffff][\\w$\\u0080-\\uffff]*)';
/** The table after each way a statement can write one (schema-qualified or not). */
const TARGET = new RegExp(
  `\\b(?:INSERT(?:\\s+OR\\s+[A-Za-z]+)?\\s+INTO|REPLACE\\s+INTO|UPDATE(?:\\s+OR\\s+[A-Za-z]+)?|DELETE\\s+FROM)\\s+(${IDENT})(?:\\s*\\.\\s*(${IDENT}))?`,
  'gi',
);

/** Transaction control: BEGIN IMMEDIATE is not read-only to SQLite, yet it writes no table. */
const TRANSACTION_CONTROL = /^\s*(?:BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i;
/** Schema changes count as writing everything, whatever statements a trigger body names. */
const DDL = /^\s*(?:CREATE|DROP|ALTER)\b/i;

function unquote(ident: string): string {
  const first = ident[0];
  if (first === '"') return ident.slice(1, -1).replace(/""/g, '"').toLowerCase();
  if (first === '`') return ident.slice(1, -1).replace(/``/g, '`').toLowerCase();
  if (first === '[') return ident.slice(1, -1).toLowerCase();
  return ident.toLowerCase();
}

/**
 * The tables a writing statement names as its targets (lower-cased), or null when it names none
 * that this can read (a pragma, DDL): then it counts as writing everything; none for transaction
 * control (the statements inside a transaction move their own tables). Words that merely
 * look like a target (`DO UPDATE SET`) only add harmless extra names.
 */
export function writeTargets(sql: string): readonly string[] | null {
  if (TRANSACTION_CONTROL.test(sql)) return [];
  if (DDL.test(sql)) return null;
  const text = sql.replace(NOISE, ' ');
  const out = new Set<string>();
  for (const m of text.matchAll(TARGET)) out.add(unquote(m[2] ?? m[1]!));
  return out.size > 0 ? [...out] : null;
}

export interface WriteClock {
  /** A statement that writes `targets` (null: anything) is about to run. */
  wrote(targets: readonly string[] | null): void;
  /** Something may have changed every table (DDL, a script, a replaced file). */
  everything(): void;
  /** A number that differs from any earlier one for `table` once a write may have changed it. */
  markOf(table: string): number;
}

export function createWriteClock(): WriteClock {
  let tick = 0;
  let all = 0;
  const byTable = new Map<string, number>();
  return {
    wrote(targets) {
      tick++;
      if (targets === null) all = tick;
      else for (const t of targets) byTable.set(t, tick);
    },
    everything() {
      all = ++tick;
    },
    markOf(table) {
      const own = byTable.get(table.toLowerCase()) ?? 0;
      return own > all ? own : all;
    },
  };
}
