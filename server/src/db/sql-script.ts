/**
 * Runs a superuser's SQL text (one or more statements) on a better-sqlite3 connection and shapes
 * the result as PocketBase's SQL runner does: `{execTime, affectedRows, columns, rows}`, the
 * columns and rows of the last statement that returns rows, every value as a string (or null).
 * Several statements run in one transaction (an error rolls all of them back).
 *
 * `runSqlScript` is started from its own source text in the SQL runner's child process
 * (sql-runner.ts), so it must use nothing from outside its body.
 */
import type Database from 'better-sqlite3';

export interface SqlColumn {
  name: string;
  /** The declared type of a table column; '' for an expression. */
  type: string;
  /** SQLite does not report nullability: always true, as PocketBase answers on SQLite. */
  nullable: boolean;
}

export interface SqlScriptResult {
  execTime: number;
  affectedRows: number;
  columns: SqlColumn[];
  rows: (string | null)[][];
}

export function runSqlScript(db: Database.Database, text: string, maxRows: number): SqlScriptResult {
  const started = performance.now();
  /** Cuts the text after every `;` that is outside quotes, identifiers and comments. */
  const split = (sql: string): string[] => {
    const out: string[] = [];
    let from = 0;
    let i = 0;
    while (i < sql.length) {
      const ch = sql[i]!;
      const close = ch === "'" ? "'" : ch === '"' ? '"' : ch === '`' ? '`' : ch === '[' ? ']' : '';
      if (close) {
        const end = sql.indexOf(close, i + 1);
        i = end < 0 ? sql.length : end + 1;
      } else if (ch === '-' && sql[i + 1] === '-') {
        const end = sql.indexOf('\n', i + 2);
        i = end < 0 ? sql.length : end + 1;
      } else if (ch === '/' && sql[i + 1] === '*') {
        const end = sql.indexOf('*/', i + 2);
        i = end < 0 ? sql.length : end + 2;
      } else if (ch === ';') {
        out.push(sql.slice(from, i + 1));
        from = i = i + 1;
      } else i += 1;
    }
    if (from < sql.length) out.push(sql.slice(from));
    return out;
  };
  const show = (v: unknown): string | null => {
    if (v === null || v === undefined) return null;
    if (Buffer.isBuffer(v)) return v.toString('utf8');
    return String(v);
  };

  const pieces = split(text.trim());
  const result: SqlScriptResult = { execTime: 0, affectedRows: 0, columns: [], rows: [] };
  const totalChanges = () => Number(db.prepare('SELECT total_changes()').pluck().get());
  const changesBefore = totalChanges();
  // One statement needs no transaction (and VACUUM refuses one); several are all-or-nothing.
  const wrap = pieces.filter((p) => p.replace(/;$/, '').trim() !== '').length > 1;
  let ran = 0;
  if (wrap) db.exec('BEGIN');
  try {
    let pending = '';
    for (const piece of pieces) {
      pending += piece;
      let stmt: Database.Statement;
      try {
        stmt = db.prepare(pending);
      } catch (err) {
        const message = (err as Error).message;
        if (err instanceof RangeError && /no statements/.test(message)) {
          pending = '';
          continue; // only comments or blanks
        }
        if (/incomplete input/.test(message) && piece !== pieces[pieces.length - 1]) continue; // e.g. a trigger body
        throw err;
      }
      pending = '';
      ran += 1;
      if (stmt.reader) {
        stmt.safeIntegers(true).raw(true);
        result.columns = stmt.columns().map((c) => ({ name: c.name, type: c.type ?? '', nullable: true }));
        result.rows = [];
        for (const row of stmt.iterate() as IterableIterator<unknown[]>) {
          if (result.rows.length >= maxRows) break;
          result.rows.push(row.map(show));
        }
      } else stmt.run();
    }
    if (ran === 0) throw new Error('empty query');
    if (wrap) db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
  result.affectedRows = totalChanges() - changesBefore;
  result.execTime = Math.round(performance.now() - started);
  return result;
}
