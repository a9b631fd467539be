/**
 * A table runner for PocketBase's API scenarios (`tests.ApiScenario`): method, URL, body, actor,
 * expected status, and strings that must (not) occur in the compact JSON body — PocketBase's own
 * check. `match` adds a partial deep comparison where PocketBase's strings depend on key order.
 * A scenario whose Hearth answer deliberately differs carries `differs` (the reason, written in
 * docs/compatibility.md) and asserts Hearth's answer instead.
 */
import { expect, it } from 'vitest';
import { TEST_ENGINE } from '../harness.ts';

export interface Response {
  status: number;
  text: string;
  body: any;
  headers: Headers;
}

export interface Scenario<F> {
  name: string;
  method: string;
  url: string;
  /** A token, or a function of the fixture giving one (resolved right before the request). */
  auth?: string | ((fx: F) => string | Promise<string>);
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as is (with a JSON content type); a function gives the body right before the request. */
  body?: unknown | ((fx: F) => unknown);
  status: number;
  expect?: string[];
  notExpect?: string[];
  match?: unknown;
  /** Runs before the request, e.g. to change a collection's options. */
  before?: (fx: F) => Promise<void>;
  /** Runs after the checks, e.g. to look at the database or restore what `before` changed. */
  after?: (fx: F, res: Response) => Promise<void>;
  /** A deliberate difference from PocketBase: the reason (documented in docs/compatibility.md). */
  differs?: string;
  /** A scenario that cannot be replayed here (e.g. it binds a Go hook), with why. */
  skip?: string;
  /** A scenario Hearth does not pass yet, with what is missing (reported as a todo, not a pass). */
  todo?: string;
}

export async function send(url: string, s: { method: string; url: string; token?: string; headers?: Record<string, string>; body?: unknown }): Promise<Response> {
  const headers: Record<string, string> = { ...(s.headers ?? {}) };
  let body: string | FormData | undefined;
  if (s.body instanceof FormData) body = s.body; // multipart: fetch sets the content type and boundary
  else if (s.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = typeof s.body === 'string' ? s.body : JSON.stringify(s.body);
  }
  if (s.token) headers.authorization = s.token;
  const res = await fetch(url + s.url, { method: s.method, headers, body });
  const raw = await res.text();
  let parsed: unknown = null;
  let text = raw;
  try {
    parsed = raw ? JSON.parse(raw) : null;
    text = raw ? JSON.stringify(parsed) : '';
  } catch {
    parsed = raw;
  }
  return { status: res.status, text, body: parsed, headers: res.headers };
}

/** Registers one vitest case per scenario; `getFx` returns the fixture built in `beforeAll`. */
/** Registers `run` as scenario `s`'s vitest case: skipped or todo where `s` says so, its name marked where it differs. */
export function itScenario(s: { name: string; skip?: string; todo?: string; differs?: string; sqliteOnly?: string }, run: () => Promise<void>): void {
  if (s.skip) it.skip(`${s.name} (not replayable: ${s.skip})`, () => {});
  else if (s.sqliteOnly && TEST_ENGINE === 'postgres') it.skip(`${s.name} (SQLite only for now: ${s.sqliteOnly})`, () => {});
  else if (s.todo) it.todo(`${s.name} (todo: ${s.todo})`);
  else it(s.differs ? `${s.name} [differs: ${s.differs}]` : s.name, run);
}

/** PocketBase's checks of an answer: the status, and substrings of the compact JSON body that must (not) occur. */
export function expectAnswer(res: Response, s: { status: number; expect?: string[]; notExpect?: string[] }, context: string): void {
  expect(res.status, context).toBe(s.status);
  for (const needle of s.expect ?? []) expect(res.text, `expected ${needle} in ${context}`).toContain(needle);
  for (const needle of s.notExpect ?? []) expect(res.text, `did not expect ${needle} in ${context}`).not.toContain(needle);
}

export function runScenarios<F extends { url: string }>(getFx: () => F, scenarios: Scenario<F>[]): void {
  for (const s of scenarios) {
    itScenario(s, async () => {
      const fx = getFx();
      await s.before?.(fx);
      const token = typeof s.auth === 'function' ? await s.auth(fx) : s.auth;
      const body = typeof s.body === 'function' ? await (s.body as (fx: F) => unknown)(fx) : s.body;
      const res = await send(fx.url, { method: s.method, url: s.url, token, headers: s.headers, body });
      const context = `${s.method} ${s.url} → ${res.status} ${res.text.slice(0, 600)}`;
      expectAnswer(res, s, context);
      if (!s.expect?.length && !s.notExpect?.length && s.match === undefined) expect(res.text, context).toBe('');
      if (s.match !== undefined) expect(res.body, context).toMatchObject(s.match as object);
      await s.after?.(fx, res);
    });
  }
}

/** The parts of a fixture the helpers below need (AuthFixture has them). */
interface MailFixture {
  url: string;
  adminToken: string;
  inbox: { mails: { to: string[] }[]; waitFor(match: (m: { to: string[]; subject: string }) => boolean, timeoutMs?: number): Promise<unknown> };
  api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
}

/** Where the barrier mail of `mailsSince` goes (no record has this address). */
export const BARRIER_EMAIL = 'barrier@example.com';

/**
 * Mails go out after the response. To show that a request mailed nobody, send a mail known to
 * go out (a superuser's test mail to BARRIER_EMAIL) and wait for it: anything the earlier request
 * had sent is in the inbox by then. Returns the mails that arrived since `from` (an index into
 * the inbox), barrier excluded.
 */
export async function mailsSince<F extends MailFixture>(f: F, from: number): Promise<{ to: string[] }[]> {
  const res = await f.api('POST', '/api/settings/test/email', { email: BARRIER_EMAIL, template: 'verification' }, f.adminToken);
  if (res.status !== 204) throw new Error(`barrier mail: ${res.status} ${JSON.stringify(res.body)}`);
  await f.inbox.waitFor((m) => m.to.includes(BARRIER_EMAIL) && f.inbox.mails.indexOf(m as never) >= from);
  return f.inbox.mails.slice(from).filter((m) => !m.to.includes(BARRIER_EMAIL));
}

/**
 * PocketBase's "RateLimit rule - <label>" scenario: with a rule of 0 requests for `label`, the
 * endpoint answers 429. Hearth's minimum is 1 request, so one request spends the budget first.
 */
export function rateLimitScenario<F extends MailFixture>(label: string, method: string, url: string, auth?: (f: F) => string, body?: unknown): Scenario<F> {
  return {
    name: `RateLimit rule - ${label}`,
    method,
    url,
    auth,
    body,
    before: async (f) => {
      const res = await f.api('PATCH', '/api/settings', { rateLimits: { enabled: true, rules: [{ label, maxRequests: 1, duration: 60 }] } }, f.adminToken);
      if (res.status !== 200) throw new Error(JSON.stringify(res.body));
      await f.api(method, url, body, auth?.(f));
    },
    after: (f) => f.api('PATCH', '/api/settings', { rateLimits: { enabled: false } }, f.adminToken).then(() => undefined),
    status: 429,
    expect: ['"data":{}'],
  };
}
