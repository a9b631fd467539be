/**
 * The few REST calls the Hearth driver makes during setup, with failures that say exactly which
 * request failed and what came back (that text ends up in the report as "n/a (…)").
 */

export interface ApiResponse {
  status: number;
  text: string;
  json: unknown;
}

export class HearthRequestError extends Error {
  readonly status: number;
  constructor(method: string, path: string, res: ApiResponse) {
    super(`${method} ${path} → ${res.status} ${res.text.length > 400 ? `${res.text.slice(0, 400)}…` : res.text}`);
    this.status = res.status;
  }
}

export interface HearthClient {
  request(method: string, path: string, body?: unknown, token?: string): Promise<ApiResponse>;
  /** Like request, but throws HearthRequestError unless the status is 2xx. */
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, token?: string): Promise<T>;
}

export function createHearthClient(baseUrl: string): HearthClient {
  const request = async (method: string, path: string, body?: unknown, token?: string): Promise<ApiResponse> => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = token;
    const res = await fetch(baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, text, json };
  };
  return {
    request,
    async call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
      const res = await request(method, path, body, token);
      if (res.status < 200 || res.status > 299) throw new HearthRequestError(method, path, res);
      return res.json as T;
    },
  };
}

/** Runs fn over items with at most `limit` in flight. */
export async function eachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
