/**
 * The one table from AppError codes to HTTP statuses, and the PocketBase error body
 * `{status, message, data}`. Unknown errors are logged with their cause and answered as a
 * generic 500 that reveals nothing of the internals.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, STATUS_BY_CODE } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';

export const STATUS_OF = STATUS_BY_CODE;

const GENERIC_500 = 'Something went wrong while processing your request.';

export function errorBody(status: number, message: string, data: unknown = {}) {
  return { status, message, data };
}

export function handleError(err: unknown, c: Context, logger: Logger): Response {
  if (err instanceof AppError) {
    const status = STATUS_OF[err.code];
    if (status === 500) {
      logger.error(`${c.req.method} ${c.req.path}: ${err.message}`, err.cause ?? err);
      return c.json(errorBody(500, GENERIC_500), 500);
    }
    const retry = (err as AppError & { retryAfterSeconds?: number }).retryAfterSeconds;
    if (status === 429 && retry) c.header('Retry-After', String(retry));
    return c.json(errorBody(status, err.message, err.data), status);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    return c.json(errorBody(status, err.message || 'Request failed.'), status);
  }
  logger.error(`${c.req.method} ${c.req.path}: unhandled error`, err);
  return c.json(errorBody(500, GENERIC_500), 500);
}
