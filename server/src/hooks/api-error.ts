/** Errors thrown from hooks and custom routes, mapped to the server's error codes and shape. */
import { AppError, badRequest, isAppError, type ErrorCode } from '../shared/errors.ts';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'too_large',
  429: 'rate_limited',
};

/** `throw new hearth.ApiError(403, 'Not yours.')` in a hook or route. */
export class ApiError extends AppError {
  constructor(status: number, message: string, data: Record<string, unknown> = {}) {
    super(CODE_BY_STATUS[status] ?? 'bad_request', message, data);
  }
}

/** A hook's throw as the request's 4xx: AppErrors keep their code, anything else is a 400 with its message. */
export function hookFailure(err: unknown): AppError {
  if (isAppError(err)) return err;
  const message = err instanceof Error && err.message ? err.message : 'The request was refused by a hook.';
  return badRequest(message);
}
