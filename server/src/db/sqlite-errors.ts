/** Maps SQLite errors to AppError: constraint failures are client errors, a held lock is a 503, the rest are internal. */
import { AppError, DatabaseBusyError } from '../shared/errors.ts';

interface SqliteLikeError {
  code?: string;
  message?: string;
}

const isSqliteError = (err: unknown): err is SqliteLikeError =>
  typeof err === 'object' && err !== null && typeof (err as SqliteLikeError).code === 'string' &&
  (err as SqliteLikeError).code!.startsWith('SQLITE_');

export const isUniqueViolation = (err: unknown): boolean =>
  isSqliteError(err) && (err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY');

/** Extracts `col` from "UNIQUE constraint failed: table.col, table.col2". */
function uniqueColumns(message: string): string[] {
  const m = /constraint failed: (.*)$/.exec(message);
  if (!m) return [];
  return m[1]!.split(',').map((s) => s.trim().split('.').pop()!).filter(Boolean);
}

export function mapSqliteError(err: unknown): unknown {
  if (err instanceof AppError || !isSqliteError(err)) return err;
  const code = err.code!;
  const message = err.message ?? '';
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const data: Record<string, unknown> = {};
    for (const col of uniqueColumns(message)) {
      data[col] = { code: 'validation_not_unique', message: 'Value must be unique.' };
    }
    return new AppError('validation', 'Failed to save: a value must be unique.', data, { cause: err });
  }
  if (code.startsWith('SQLITE_CONSTRAINT')) {
    return new AppError('bad_request', 'A database constraint rejected the change.', {}, { cause: err });
  }
  if (code === 'SQLITE_TOOBIG') {
    return new AppError('too_large', 'A value is too large.', {}, { cause: err });
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new DatabaseBusyError({ cause: err });
  }
  return new AppError('internal', 'Something went wrong while processing your request.', {}, { cause: err });
}
