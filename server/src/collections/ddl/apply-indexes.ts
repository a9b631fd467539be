/** Builds and drops a collection's indexes; failures become 400s on `indexes.N`. Steps (db/steps.ts). */
import { steps, type Steps } from '../../db/index.ts';
import { quoteIdent } from '../../db/sql.ts';
import type { Dialect } from '../../shared/dialect/index.ts';
import { fieldError } from '../../shared/errors.ts';
import { setError, type ErrorTree } from '../error-tree.ts';
import { indexesOf, indexOwner } from './db-objects.ts';
import { parseIndex } from './index-sql.ts';
import { indexSqlForPostgres } from './index-sql-postgres.ts';
import { isReservedIndexName } from './relation-indexes.ts';
import { errorText } from './view-sql.ts';

/** Drops every user index on `table` (automatic ones, and Postgres's constraint indexes, belong to the table). */
export function* dropTableIndexes(dialect: Dialect, table: string): Steps<void> {
  for (const name of yield* indexesOf(dialect, table)) yield* steps.exec(`DROP INDEX ${quoteIdent(name)}`);
}

export function* dropIndexByDefinition(sql: string): Steps<void> {
  const parsed = parseIndex(sql);
  if (parsed) yield* steps.exec(`DROP INDEX IF EXISTS ${quoteIdent(parsed.name)}`);
}

/**
 * Creates the given index definitions (positions refer to `all`, the collection's full list). On
 * Postgres each is re-quoted first (`columns`: the table's, whose bare names SQLite matches
 * case-insensitively), `col COLLATE NOCASE` becoming `lower(col)`; other SQLite-only parts are
 * refused there as invalid.
 */
export function* createIndexes(dialect: Dialect, table: string, columns: readonly string[], all: string[], only: Set<string> | undefined, errors: ErrorTree): Steps<void> {
  for (const [i, sql] of all.entries()) {
    if (only && !only.has(sql)) continue;
    const parsed = parseIndex(sql);
    if (!parsed) {
      setError(errors, ['indexes', i], fieldError('validation_invalid_index_expression', 'Invalid CREATE INDEX expression.'));
      continue;
    }
    if (isReservedIndexName(parsed.name)) {
      setError(errors, ['indexes', i], fieldError('validation_invalid_index_expression', 'Index names starting with "_hearth_" are reserved.'));
      continue;
    }
    const owner = yield* indexOwner(dialect, parsed.name);
    if (owner !== undefined) {
      const where = owner.toLowerCase() === table.toLowerCase() ? 'this' : `the "${owner}"`;
      setError(errors, ['indexes', i], fieldError('validation_existing_index_name', `The index name is already used in ${where} collection.`));
      continue;
    }
    try {
      yield* steps.execOne(dialect.name === 'postgres' ? indexSqlForPostgres(sql, columns) : sql);
    } catch (err) {
      setError(errors, ['indexes', i], fieldError('validation_invalid_index_expression', `Failed to create the index: ${errorText(err)}`));
    }
  }
}
