/**
 * The table runner for the record CRUD ports: PocketBase's scenario checks (status, substrings
 * of the compact JSON body that must / must not occur) over the crud fixture. A scenario that
 * writes is `fresh`: it runs on its own copy of the fixture, as every PocketBase scenario does.
 */
import { expectAnswer, itScenario, send, type Response } from './auth-scenarios.ts';
import { RECORD_BODY_BASE } from '../../src/records/index.ts';
import type { Actor, CrudFixture, CrudServer } from './crud-fixture.ts';

export interface CrudScenario {
  name: string;
  method: string;
  url: string;
  auth?: Actor;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as is (JSON content type unless `headers` say otherwise); FormData as multipart; a function builds the body on the target. */
  body?: unknown;
  status: number;
  expect?: string[];
  notExpect?: string[];
  /** Runs on a fresh copy of the fixture (the scenario writes). */
  fresh?: boolean;
  /** Hooks files (name → TypeScript source) loaded by a fresh copy from its `hearth_hooks/` dir. */
  hooks?: Record<string, string>;
  before?: (s: CrudServer) => Promise<void>;
  after?: (s: CrudServer, res: Response) => Promise<void>;
  /** A deliberate difference from PocketBase (documented in docs/compatibility.md). */
  differs?: string;
  /** Not replayable here, with why. */
  skip?: string;
  /** Hearth does not pass it yet: what is missing (reported as a todo, not a pass). */
  todo?: string;
  /** Runs on SQLite only for now (reported as skipped on PostgreSQL, with why). */
  sqliteOnly?: string;
}

export function runCrudScenarios(getFx: () => CrudFixture, scenarios: CrudScenario[]): void {
  for (const s of scenarios) {
    itScenario(s, async () => {
      const fx = getFx();
      const target = s.fresh || s.hooks ? await fx.fresh({ hooks: s.hooks }) : fx;
      try {
        await s.before?.(target);
        const token = s.auth ? target.tokens[s.auth] : undefined;
        const body: unknown = typeof s.body === 'function' ? await (s.body as (t: CrudServer) => Promise<unknown>)(target) : s.body;
        const res = await send(target.url, { method: s.method, url: s.url, token, headers: s.headers, body });
        const context = `${s.method} ${s.url} → ${res.status} ${res.text.slice(0, 800)}`;
        expectAnswer(res, s, context);
        await s.after?.(target, res);
      } finally {
        if (target !== fx) await target.close();
      }
    });
  }
}

/** Form data with a `@jsonPayload` part and plain parts, as PocketBase's multipart scenarios send. */
export function form(parts: Record<string, string>, files: Record<string, string[]> = {}): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(parts)) f.append(k, v);
  for (const [k, names] of Object.entries(files)) for (const n of names) f.append(k, new Blob(['test'], { type: 'text/plain' }), n);
  return f;
}

/**
 * PocketBase's rate-limit scenarios: the rule with maxRequests 0 blocks at once; Hearth's
 * minimum is 1, so a first identical request spends the budget and the scenario's is refused.
 */
export function rateLimited(label: string, method: string, url: string, rules: Array<{ label: string; maxRequests: number }>, body?: unknown): CrudScenario {
  return {
    name: `RateLimit rule - ${label}`,
    method,
    url,
    body,
    fresh: true,
    before: async (s) => {
      const limits = rules.map((r) => ({ ...r, maxRequests: Math.max(r.maxRequests, 1), duration: 60 }));
      const res = await s.api('PATCH', '/api/settings', { rateLimits: { enabled: true, rules: limits } }, 'superuser');
      if (res.status !== 200) throw new Error(JSON.stringify(res.body));
      await s.api(method, url, body);
    },
    status: 429,
    expect: ['"data":{}'],
  };
}

/**
 * PocketBase's dynamic body limit scenarios: with demo1's file and json fields shrunk (file_one
 * 5 B, file_many 10 B × 2, json 2 B), a record write may carry RECORD_BODY_BASE + 27 bytes; one
 * byte more is a 413 before anything is parsed, the limit itself reaches validation (a 400).
 */
export function bodyLimitScenarios(method: string, url: string): CrudScenario[] {
  const shrinkDemo1 = async (s: CrudServer) => {
    const col = (await s.api('GET', '/api/collections/demo1', undefined, 'superuser')).body;
    const sizes: Record<string, Record<string, number>> = { file_one: { maxSize: 5 }, file_many: { maxSize: 10, maxSelect: 2 }, json: { maxSize: 2 } };
    const res = await s.api('PATCH', '/api/collections/demo1', { fields: col.fields.map((f: { name: string }) => ({ ...f, ...sizes[f.name] })) }, 'superuser');
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  };
  const limit = RECORD_BODY_BASE + 5 + 10 * 2 + 2;
  return [
    { name: 'body > collection BodyLimit', method, url, fresh: true, before: shrinkDemo1, body: '\0'.repeat(limit + 1), status: 413, expect: ['"data":{}'] },
    { name: 'body <= collection BodyLimit', method, url, fresh: true, before: shrinkDemo1, body: '\0'.repeat(limit), status: 400, expect: ['"data":{}'] },
  ];
}
