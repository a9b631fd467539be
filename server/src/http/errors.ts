/**
 * The one table from AppError codes to HTTP statuses, and the PocketBase error body
 * `{status, message, data}`. Unknown errors are logged with their cause and answered as a
 * generic 500 that reveals nothing of the internals.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTPException } from 'hono/http-exception';
import { AppError, STATUS_BY_CODE } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';

export const STATUS_OF = STATUS_BY_CODE;

const GENERIC_500 = 'Something went wrong while processing your request.';

export function errorBody(status: number, message: string, data: unknown = {}) {
  return { status, message, data };
}

/** The status, body and extra headers of the answer to `err` (unknown errors are logged, answered as a bare 500). */
export function errorAnswer(
  err: unknown,
  method: string,
  path: string,
  logger: Logger,
): { status: ContentfulStatusCode; body: ReturnType<typeof errorBody>; retryAfter?: number } {
  if (err instanceof AppError) {
    const status = STATUS_OF[err.code] as ContentfulStatusCode;
    if (status === 500) {
      logger.error(`${method} ${path}: ${err.message}`, err.cause ?? err);
      return { status: 500, body: errorBody(500, GENERIC_500) };
    }
    const retry = (err as AppError & { retryAfterSeconds?: number }).retryAfterSeconds;
    return { status, body: errorBody(status, err.message, err.data), ...((status === 429 || status === 503) && retry ? { retryAfter: retry } : {}) };
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    return { status, body: errorBody(status, err.message || 'Request failed.') };
  }
  logger.error(`${method} ${path}: unhandled error`, err);
  return { status: 500, body: errorBody(500, GENERIC_500) };
}

export function handleError(err: unknown, c: Context, logger: Logger): Response {
  const answer = errorAnswer(err, c.req.method, c.req.path, logger);
  if (answer.retryAfter) c.header('Retry-After', String(answer.retryAfter));
  return c.json(answer.body, answer.status);
}
