/**
 * PocketBase-style API scenarios: `{name, method, url, auth, body, status, expect, notExpect}`.
 * `expect` / `notExpect` are substrings of the raw response body, as in PocketBase's own
 * scenario runner. `auth` names an actor of the fixture (its token is sent as Authorization).
 * A scenario with `skip` is reported as skipped with that reason; one with `diff` is a
 * documented deliberate difference (docs/compatibility.md) and asserts Hearth's behaviour.
 */
import { expect, it } from 'vitest';

export interface Scenario {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  /** An actor name of the fixture (`superuser`, `user`, …); none = anonymous. */
  auth?: string;
  /** A string is sent as is (with a JSON content type); anything else is JSON-encoded. */
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  expect?: string[];
  notExpect?: string[];
  /** Not portable yet: the reason (a feature not built, …). */
  skip?: string;
  /** Hearth answers differently on purpose; the reason is in docs/compatibility.md. */
  diff?: string;
  /** Runs on a fresh copy of the fixture (for scenarios that write). */
  fresh?: boolean;
  /** Extra checks on the parsed response and the server it ran on. */
  after?: (res: ScenarioResponse, target: ScenarioTarget) => void | Promise<void>;
  /** Runs before the request, on the server it will run on. */
  before?: (target: ScenarioTarget) => void | Promise<void>;
}

export interface ScenarioResponse {
  status: number;
  text: string;
  json: any;
  headers: Headers;
}

export interface ScenarioTarget {
  url: string;
  tokens: Record<string, string>;
  /** JSON request helper against this target, as a named actor (or a raw token). */
  api(method: string, path: string, body?: unknown, auth?: string): Promise<ScenarioResponse>;
}

export async function send(url: string, tokens: Record<string, string>, s: Pick<Scenario, 'method' | 'url' | 'auth' | 'body' | 'headers'>): Promise<ScenarioResponse> {
  const headers: Record<string, string> = { ...s.headers };
  let body: string | undefined;
  if (s.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = typeof s.body === 'string' ? s.body : JSON.stringify(s.body);
  }
  if (s.auth) {
    const token = tokens[s.auth] ?? s.auth;
    headers.authorization = token;
  }
  const res = await fetch(url + s.url, { method: s.method, headers, body });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, text, json, headers: res.headers };
}

export function target(url: string, tokens: Record<string, string>): ScenarioTarget {
  return {
    url,
    tokens,
    api: (method, path, body, auth) => send(url, tokens, { method: method as Scenario['method'], url: path, body, auth }),
  };
}

/** Declares one vitest case per scenario. `get` returns the shared target; `fresh` a new copy. */
export function runScenarios(scenarios: Scenario[], get: () => ScenarioTarget, fresh?: () => Promise<ScenarioTarget & { close(): Promise<void> }>): void {
  for (const s of scenarios) {
    const title = s.diff ? `${s.name} [deliberate difference]` : s.name;
    if (s.skip) {
      it.skip(`${title} — skipped: ${s.skip}`, () => {});
      continue;
    }
    it(title, async () => {
      const copy = s.fresh && fresh ? await fresh() : null;
      const t = copy ?? get();
      try {
        await s.before?.(t);
        const res = await send(t.url, t.tokens, s);
        expect(res.status, res.text.slice(0, 2000)).toBe(s.status);
        for (const part of s.expect ?? []) expect(res.text, `expected to contain ${part}`).toContain(part);
        for (const part of s.notExpect ?? []) expect(res.text, `expected not to contain ${part}`).not.toContain(part);
        await s.after?.(res, t);
      } finally {
        await copy?.close();
      }
    });
  }
}
