/** Maps PostgreSQL errors (SQLSTATE codes) to AppError exactly as sqlite-errors.ts maps SQLite's. */
import { AppError, DatabaseBusyError } from '../shared/errors.ts';

interface PgLikeError {
  code?: string;
  detail?: string;
  severity?: string;
}

const isPgError = (err: unknown): err is PgLikeError =>
  typeof err === 'object' && err !== null && typeof (err as PgLikeError).code === 'string' &&
  /^[0-9A-Z]{5}$/.test((err as PgLikeError).code!) && typeof (err as PgLikeError).severity === 'string';

export const isPostgresUniqueViolation = (err: unknown): boolean => isPgError(err) && err.code === '23505';

/** Columns from "Key (email, name)=(…) already exists."; expression keys (`lower(email)`) give the column inside. */
function uniqueColumns(detail: string): string[] {
  const m = /^Key \((.*?)\)=/.exec(detail);
  if (!m) return [];
  return m[1]!.split(',').map((s) => s.trim().replace(/^\w+\((.*)\)$/, '$1').replaceAll('"', '')).filter(Boolean);
}

export function mapPostgresError(err: unknown): unknown {
  if (err instanceof AppError || !isPgError(err)) return err;
  const code = err.code!;
  if (code === '23505') {
    const data: Record<string, unknown> = {};
    for (const col of uniqueColumns(err.detail ?? '')) {
      data[col] = { code: 'validation_not_unique', message: 'Value must be unique.' };
    }
    return new AppError('validation', 'Failed to save: a value must be unique.', data, { cause: err });
  }
  if (code.startsWith('23')) {
    return new AppError('bad_request', 'A database constraint rejected the change.', {}, { cause: err });
  }
  if (code === '54000' || code === '22001') {
    return new AppError('too_large', 'A value is too large.', {}, { cause: err });
  }
  if (code === '40001' || code === '40P01' || code === '55P03' || code === '53300') {
    return new DatabaseBusyError({ cause: err });
  }
  return new AppError('internal', 'Something went wrong while processing your request.', {}, { cause: err });
}
