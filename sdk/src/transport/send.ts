/**
 * The fetch transport: builds the URL, encodes the body, sets `Authorization: TOKEN`, applies the
 * caller's AbortSignal and a timeout, parses the answer, and turns every failure into a HearthError.
 */
import { HearthError, errorFromResponse } from '../errors.ts';
import { encodeBody } from './request-body.ts';
import { joinUrl, toQueryString, type Query } from './query-string.ts';

/** Options every SDK call accepts. */
export interface RequestOptions {
  /** Cancels the request; the call rejects with a HearthError whose `isAbort` is true. */
  signal?: AbortSignal;
  /** Milliseconds before giving up (`isTimeout`); 0 disables. Defaults to the client's `timeout`. */
  timeout?: number;
  headers?: Record<string, string>;
}

export interface SendOptions extends RequestOptions {
  method?: string;
  query?: Query;
  body?: unknown;
  /** The token to send; null sends none. */
  token?: string | null;
}

export interface TransportConfig {
  baseUrl: string;
  fetch: typeof fetch;
  /** Default timeout in ms (0 = none). */
  timeout: number;
  headers: Record<string, string>;
}

export type Transport = <T>(path: string, options?: SendOptions) => Promise<T>;

export function createTransport(config: TransportConfig): Transport {
  return async <T>(path: string, options: SendOptions = {}): Promise<T> => {
    const url = joinUrl(config.baseUrl, path) + toQueryString(options.query);
    const { body, contentType } = encodeBody(options.body);
    const headers: Record<string, string> = { ...config.headers, ...options.headers };
    if (contentType && !hasHeader(headers, 'content-type')) headers['Content-Type'] = contentType;
    if (options.token) headers['Authorization'] = options.token;
    const guard = abortGuard(options.signal, options.timeout ?? config.timeout);
    try {
      const res = await config.fetch(url, { method: options.method ?? 'GET', headers, body, signal: guard.signal });
      const parsed = await readBody(res);
      if (!res.ok) throw errorFromResponse(res.status, url, parsed);
      return parsed as T;
    } catch (err) {
      throw toHearthError(err, url, guard);
    } finally {
      guard.dispose();
    }
  };
}

const hasHeader = (headers: Record<string, string>, name: string) =>
  Object.keys(headers).some((k) => k.toLowerCase() === name);

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined;
  const text = await res.text();
  if (!text) return undefined;
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

interface AbortGuard {
  signal: AbortSignal;
  aborted(): boolean;
  timedOut(): boolean;
  timeout: number;
  dispose(): void;
}

/** One signal that fires on the caller's abort or on timeout, remembering which one it was. */
function abortGuard(user: AbortSignal | undefined, timeout: number): AbortGuard {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(user?.reason);
  if (user?.aborted) controller.abort(user.reason);
  else user?.addEventListener('abort', onAbort, { once: true });
  const timer =
    timeout > 0
      ? setTimeout(() => {
          timedOut = true;
          controller.abort(new Error('timeout'));
        }, timeout)
      : undefined;
  return {
    signal: controller.signal,
    aborted: () => user?.aborted === true,
    timedOut: () => timedOut,
    timeout,
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      user?.removeEventListener('abort', onAbort);
    },
  };
}

function toHearthError(err: unknown, url: string, guard: AbortGuard): HearthError {
  if (err instanceof HearthError) return err;
  if (guard.aborted()) {
    return new HearthError({ status: 0, message: 'The request was aborted.', url, isAbort: true, cause: err });
  }
  if (guard.timedOut()) {
    return new HearthError({ status: 0, message: `The request timed out after ${guard.timeout} ms.`, url, isTimeout: true, cause: err });
  }
  const detail = err instanceof Error ? err.message : String(err);
  return new HearthError({ status: 0, message: `Network error: ${detail}`, url, cause: err });
}
