/** Builds and drops a collection's indexes in SQLite; failures become 400s on `indexes.N`. */
import type { SqlDb } from '../../db/index.ts';
import { quoteIdent } from '../../db/sql.ts';
import { fieldError } from '../../shared/errors.ts';
import { setError, type ErrorTree } from '../error-tree.ts';
import { parseIndex } from './index-sql.ts';
import { isReservedIndexName } from './relation-indexes.ts';
import { errorText } from './view-sql.ts';

/** Drops every user index on `table` (automatic ones, with NULL sql, belong to the table). */
export function dropTableIndexes(db: SqlDb, table: string): void {
  const names = db.pluck<string>(
    "SELECT name FROM sqlite_master WHERE type = 'index' AND lower(tbl_name) = lower(?) AND sql IS NOT NULL",
    [table],
  );
  for (const name of names) db.exec(`DROP INDEX ${quoteIdent(name)}`);
}

export function dropIndexByDefinition(db: SqlDb, sql: string): void {
  const parsed = parseIndex(sql);
  if (parsed) db.exec(`DROP INDEX IF EXISTS ${quoteIdent(parsed.name)}`);
}

/** Creates the given index definitions (positions refer to `all`, the collection's full list). */
export function createIndexes(db: SqlDb, table: string, all: string[], only: Set<string> | undefined, errors: ErrorTree): void {
  all.forEach((sql, i) => {
    if (only && !only.has(sql)) return;
    const parsed = parseIndex(sql);
    if (!parsed) return setError(errors, ['indexes', i], fieldError('validation_invalid_index_expression', 'Invalid CREATE INDEX expression.'));
    if (isReservedIndexName(parsed.name)) {
      return setError(errors, ['indexes', i], fieldError('validation_invalid_index_expression', 'Index names starting with "_hearth_" are reserved.'));
    }
    const owner = db.get<{ tbl_name: string }>(
      "SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND lower(name) = lower(?)",
      [parsed.name],
    );
    if (owner) {
      const where = owner.tbl_name.toLowerCase() === table.toLowerCase() ? 'this' : `the "${owner.tbl_name}"`;
      return setError(errors, ['indexes', i], fieldError('validation_existing_index_name', `The index name is already used in ${where} collection.`));
    }
    try {
      db.check(sql);
      db.exec(sql);
    } catch (err) {
      setError(errors, ['indexes', i], fieldError('validation_invalid_index_expression', `Failed to create the index: ${errorText(err)}`));
    }
  });
}
