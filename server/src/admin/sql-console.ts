/**
 * The superuser SQL console (`POST /api/sql`, PocketBase's SQL runner): validates `{query}` and
 * hands it to db/'s SQL runner, which runs it outside the server's thread under a time budget.
 * Raw SQL bypasses rules, hooks, realtime and the change log, as in PocketBase.
 */
import type { SqlRunner, SqlScriptResult } from '../db/index.ts';
import { fieldError, validationError } from '../shared/errors.ts';

export type { SqlRunner };

/** Characters a query may have (PocketBase's limit). */
export const SQL_MAX_QUERY_LENGTH = 5000;

export async function runSql(runner: SqlRunner, body: Record<string, unknown>): Promise<SqlScriptResult> {
  const query = body.query;
  if (query !== undefined && typeof query !== 'string') {
    throw validationError('An error occurred while validating the submitted data.', { query: fieldError('validation_invalid_string', 'Must be a string.') });
  }
  if (!query) {
    throw validationError('An error occurred while validating the submitted data.', { query: fieldError('validation_required', 'Cannot be blank.') });
  }
  if (query.length > SQL_MAX_QUERY_LENGTH) {
    throw validationError('An error occurred while validating the submitted data.', {
      query: fieldError('validation_length_too_long', `The length must be no more than ${SQL_MAX_QUERY_LENGTH}.`),
    });
  }
  return runner.run(query);
}
