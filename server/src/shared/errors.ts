/**
 * The one error type every layer throws. A closed set of codes; `http/` maps each code to a
 * status in a single table. `data` carries per-field errors in PocketBase's wire shape.
 */

export type ErrorCode =
  | 'bad_request' // malformed query, filter, body or paging
  | 'validation' // field-level validation failed; `data` names the fields
  | 'unauthorized' // missing or invalid credentials where they are required
  | 'forbidden' // authenticated but a rule or role denies it
  | 'not_found' // missing, or hidden by a viewRule
  | 'too_large' // request body or value over a documented limit
  | 'rate_limited'
  | 'unavailable' // the database is busy (a lock held past its wait): try again shortly
  | 'internal';

/** The HTTP status each code answers with (part of the wire contract: `{status, message, data}`). */
export const STATUS_BY_CODE: Record<ErrorCode, 400 | 401 | 403 | 404 | 413 | 429 | 500 | 503> = {
  bad_request: 400,
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export interface FieldError {
  code: string;
  message: string;
}

export type ErrorData = Record<string, FieldError | unknown>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly data: ErrorData;

  constructor(code: ErrorCode, message: string, data: ErrorData = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.data = data;
  }
}

/** Seconds a client is told to wait (`Retry-After`) before retrying a request the database was too busy for. */
export const BUSY_RETRY_SECONDS = 1;

/** A 503 with `Retry-After`: the write lock stayed held past its wait; nothing was written. */
export class DatabaseBusyError extends AppError {
  readonly retryAfterSeconds = BUSY_RETRY_SECONDS;

  constructor(options?: { cause?: unknown }) {
    super('unavailable', 'The database is busy, try again.', {}, options);
    this.name = 'DatabaseBusyError';
  }
}

export const badRequest = (message: string, data: ErrorData = {}): AppError =>
  new AppError('bad_request', message, data);

export const notFound = (message = "The requested resource wasn't found."): AppError =>
  new AppError('not_found', message);

export const forbidden = (message = 'You are not allowed to perform this request.'): AppError =>
  new AppError('forbidden', message);

export const unauthorized = (message = 'The request requires valid authorization token.'): AppError =>
  new AppError('unauthorized', message);

/** A validation failure of one or more fields: `{ field: { code, message } }`. */
export const validationError = (
  message: string,
  fields: Record<string, FieldError>,
): AppError => new AppError('validation', message, fields);

export const fieldError = (code: string, message: string): FieldError => ({ code, message });

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;
