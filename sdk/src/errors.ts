/**
 * HearthError: the one error every SDK call rejects with — HTTP failures (the server's
 * `{status, message, data}` body), network failures (`status` 0), aborts and timeouts.
 */

/** One field's validation failure, as the server reports it under `data`. */
export interface FieldError {
  code: string;
  message: string;
  [extra: string]: unknown;
}

export interface HearthErrorInit {
  status: number;
  message: string;
  data?: Record<string, FieldError | unknown>;
  url?: string;
  response?: unknown;
  isAbort?: boolean;
  isTimeout?: boolean;
  cause?: unknown;
}

export class HearthError extends Error {
  override name = 'HearthError';
  /** HTTP status; 0 when no response arrived (network failure, abort, timeout). */
  readonly status: number;
  /** Per-field errors (`data.title.code === 'validation_required'`); `{}` when none. */
  readonly data: Record<string, FieldError | unknown>;
  /** The parsed response body (or text), when there was one. */
  readonly response: unknown;
  readonly url: string;
  /** The caller's AbortSignal fired. */
  readonly isAbort: boolean;
  /** The request ran past its timeout. */
  readonly isTimeout: boolean;

  constructor(init: HearthErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.data = init.data ?? {};
    this.response = init.response ?? null;
    this.url = init.url ?? '';
    this.isAbort = init.isAbort ?? false;
    this.isTimeout = init.isTimeout ?? false;
  }

  /** The error of one field, if the server reported one. */
  field(name: string): FieldError | undefined {
    const v = this.data[name];
    return v && typeof v === 'object' && 'code' in v ? (v as FieldError) : undefined;
  }
}

export const isHearthError = (err: unknown): err is HearthError => err instanceof HearthError;

/** Builds the error for a non-2xx response from its parsed body. */
export function errorFromResponse(status: number, url: string, body: unknown): HearthError {
  const obj = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const message = typeof obj.message === 'string' && obj.message ? obj.message : `Request failed with status ${status}.`;
  const data = obj.data && typeof obj.data === 'object' ? (obj.data as Record<string, unknown>) : {};
  return new HearthError({ status, message, data, url, response: body });
}
