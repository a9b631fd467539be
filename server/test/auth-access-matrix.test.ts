/**
 * Rules × actors × paths: one table of cases over the world of auth-access-fixture.ts (rules
 * with `@request.auth.*` relation paths and `@collection.*`). Every answer is checked twice:
 * its own expectation (status, which records), and one leak check shared by all rows — no title
 * of a record the actor may not see, no hidden value unless superuser, no other user's email,
 * never a password hash or tokenKey. Realtime and files join by adding paths to this table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scalar } from './engine-state.ts';
import { startServer } from './harness.ts';
import {
  ACTORS,
  buildAccessWorld,
  CAN_LIST,
  CAN_VIEW,
  DELETE_ANSWERS,
  DOCS,
  docSecret,
  EMAILS,
  title,
  UPDATE_ANSWERS,
  userSecret,
  type AccessWorld,
  type Actor,
  type DocKey,
} from './auth-access-fixture.ts';

type Path = 'list' | 'view' | 'create' | 'update' | 'delete' | 'expand' | 'relation filter' | 'hidden filter' | 'batch';

interface Case {
  path: Path;
  name: string;
  actor: Actor;
  request: (w: AccessWorld) => Promise<{ method: string; url: string; body?: unknown }> | { method: string; url: string; body?: unknown };
  status: number;
  /** Docs whose titles may appear in the answer; every other doc's title must not. */
  sees?: DocKey[];
  check?: (body: any, w: AccessWorld) => void | Promise<void>;
}

let w: AccessWorld;
const q = encodeURIComponent;
const DOCS_URL = '/api/collections/docs/records';
const COMMENTS_URL = '/api/collections/comments/records';
const count = async (sql: string, params: unknown[] = []) => Number(await scalar(w.t.server.engine, sql, params));
const titlesOf = (body: any): string[] => body.items.map((i: { title: string }) => i.title).sort();

beforeAll(async () => {
  w = await buildAccessWorld(await startServer());
});
afterAll(() => w.t.close());

async function assertNoLeak(text: string, actor: Actor, sees: DocKey[]): Promise<void> {
  for (const d of DOCS) if (!sees.includes(d)) expect(text, `${title(d)} leaked`).not.toContain(title(d));
  for (const v of await w.neverSent()) if (v) expect(text, 'a password hash or tokenKey leaked').not.toContain(v);
  if (actor === 'super') return;
  for (const d of DOCS) expect(text, `${docSecret(d)} (hidden) leaked`).not.toContain(docSecret(d));
  for (const u of ['A', 'B', 'carl']) {
    expect(text, `${userSecret(u)} (hidden) leaked`).not.toContain(userSecret(u));
    if (u !== actor) expect(text, `${EMAILS[u]} leaked`).not.toContain(EMAILS[u]);
  }
}

/** A throwaway doc owned by A, made by the superuser, for the delete rows. */
async function scratchDoc(world: AccessWorld): Promise<string> {
  const res = await world.t.api('POST', DOCS_URL, { title: 'scratch', owner: world.users.A }, world.tokens.super);
  return res.body.id;
}

const CASES: Case[] = [
  // list: exactly what listRule admits; never 403 for a non-null rule
  ...ACTORS.map((actor): Case => ({
    path: 'list',
    name: `sees ${CAN_LIST[actor].join(', ') || 'nothing'}`,
    actor,
    request: () => ({ method: 'GET', url: `${DOCS_URL}?perPage=100` }),
    status: 200,
    sees: CAN_LIST[actor],
    check: (body) => {
      expect(titlesOf(body)).toEqual(CAN_LIST[actor].map(title).sort());
      expect(body.totalItems).toBe(CAN_LIST[actor].length);
    },
  })),
  // view: viewRule (incl. the @collection.shares clause); hidden rows are 404 like missing ones
  ...ACTORS.flatMap((actor) =>
    DOCS.map((d): Case => {
      const allowed = CAN_VIEW[actor].includes(d);
      return { path: 'view', name: d, actor, request: (x) => ({ method: 'GET', url: `${DOCS_URL}/${x.docs[d]}` }), status: allowed ? 200 : 404, sees: allowed ? [d] : [] };
    }),
  ),
  // create: signed in, and only as owner of the new doc
  ...(
    [
      ['anon', '', 400],
      ['A', 'A', 200],
      ['A', 'B', 400],
      ['B', 'B', 200],
      ['super', 'carl', 200],
    ] as const
  ).map(([actor, owner, status], i): Case => ({
    path: 'create',
    name: `owned by ${owner || 'nobody'}`,
    actor,
    request: (x) => ({ method: 'POST', url: DOCS_URL, body: { title: `NEW-${i}`, owner: owner ? x.users[owner] : '', secret: 'x' } }),
    status,
    check: async () => expect(await count('SELECT COUNT(*) FROM docs WHERE title = ?', [`NEW-${i}`])).toBe(status === 200 ? 1 : 0),
  })),
  // update: owner only; a doc B may view (shared) is still not B's to edit
  ...UPDATE_ANSWERS.map(([actor, d, status]): Case => ({
    path: 'update',
    name: d,
    actor,
    request: (x) => ({ method: 'PATCH', url: `${DOCS_URL}/${x.docs[d]}`, body: { note: `by ${actor}` } }),
    status,
    sees: status === 200 ? [d] : [],
    check: async (_b, x) => expect(await count('SELECT COUNT(*) FROM docs WHERE id = ? AND note = ?', [x.docs[d], `by ${actor}`])).toBe(status === 200 ? 1 : 0),
  })),
  // delete: owner only
  ...DELETE_ANSWERS.map(([actor, status]): Case => {
    let id = '';
    return {
      path: 'delete',
      name: "A's scratch doc",
      actor,
      request: async (x) => ({ method: 'DELETE', url: `${DOCS_URL}/${(id = await scratchDoc(x))}` }),
      status,
      check: async () => expect(await count('SELECT COUNT(*) FROM docs WHERE id = ?', [id])).toBe(status === 204 ? 0 : 1),
    };
  }),
  // expand: the expanded collection's viewRule applies per related record
  ...ACTORS.map((actor): Case => ({
    path: 'expand',
    name: 'public comments → their docs',
    actor,
    request: () => ({ method: 'GET', url: `${COMMENTS_URL}?expand=doc&perPage=100` }),
    status: 200,
    sees: CAN_VIEW[actor],
    check: (body) => {
      expect(body.items).toHaveLength(DOCS.length);
      const expanded = body.items.filter((c: any) => c.expand?.doc).map((c: any) => c.expand.doc.title).sort();
      expect(expanded).toEqual(CAN_VIEW[actor].map(title).sort());
    },
  })),
  {
    path: 'expand',
    name: "a teammate's doc → its owner (a user A may not view)",
    actor: 'A',
    request: (x) => ({ method: 'GET', url: `${DOCS_URL}/${x.docs.dT1}?expand=owner,team` }),
    status: 200,
    sees: ['dT1'],
    check: (body) => {
      expect(body.expand?.owner).toBeUndefined();
      expect(body.expand?.team?.name).toBe('T1');
    },
  },
  // relation-path filters see only rows the caller could list, at every hop
  ...(
    [
      ['anon', 0],
      ['A', 0],
      ['B', 1],
      ['super', 1],
    ] as const
  ).map(([actor, n]): Case => ({
    path: 'relation filter',
    name: 'comments by doc.title of B\u2019s doc',
    actor,
    request: () => ({ method: 'GET', url: `${COMMENTS_URL}?filter=${q(`doc.title = "${title('dB')}"`)}` }),
    status: 200,
    check: (body) => expect(body.items).toHaveLength(n),
  })),
  ...(
    [
      ['A', 0],
      ['super', 2],
    ] as const
  ).map(([actor, n]): Case => ({
    path: 'relation filter',
    name: "docs by owner.email of a user A cannot list",
    actor,
    request: () => ({ method: 'GET', url: `${DOCS_URL}?filter=${q(`owner.email = "${EMAILS.carl}" && title ~ "TITLE-"`)}` }),
    status: 200,
    sees: actor === 'super' ? DOCS : ['dT1'],
    check: (body) => expect(body.items).toHaveLength(n),
  })),
  {
    path: 'relation filter',
    name: 'users by team.name: B finds only himself',
    actor: 'B',
    request: () => ({ method: 'GET', url: `/api/collections/users/records?filter=${q('team.name = "T2" || team.name = "T1"')}` }),
    status: 200,
    check: (body, x) => expect(body.items.map((u: any) => u.id)).toEqual([x.users.B]),
  },
  // hidden fields: not filterable or sortable by anyone but superusers, at any depth
  ...(
    [
      ['A', `${DOCS_URL}?filter=${q(`secret = "${docSecret('dA')}"`)}`],
      ['A', `${DOCS_URL}?sort=secret`],
      ['B', `${COMMENTS_URL}?filter=${q('doc.secret != ""')}`],
      ['anon', `${COMMENTS_URL}?filter=${q(`doc.owner.secret = "${userSecret('B')}"`)}`],
      ['A', `/api/collections/users/records?filter=${q(`secret = "${userSecret('A')}"`)}`],
    ] as const
  ).map(([actor, url]): Case => ({ path: 'hidden filter', name: decodeURIComponent(url.split('?')[1]!), actor, request: () => ({ method: 'GET', url }), status: 400 })),
  {
    path: 'hidden filter',
    name: '@request.auth.secret in a client filter: superusers only',
    actor: 'A',
    request: () => ({ method: 'GET', url: `${DOCS_URL}?filter=${q(`@request.auth.secret = "${userSecret('A')}"`)}` }),
    status: 403,
  },
  {
    path: 'hidden filter',
    name: 'superusers may filter on hidden fields',
    actor: 'super',
    request: () => ({ method: 'GET', url: `${DOCS_URL}?filter=${q(`secret = "${docSecret('dA')}"`)}` }),
    status: 200,
    sees: ['dA'],
    check: (body) => expect(body.items).toHaveLength(1),
  },
  {
    path: 'hidden filter',
    name: 'fields= cannot project a hidden field',
    actor: 'A',
    request: () => ({ method: 'GET', url: `${DOCS_URL}?fields=${q('id,title,secret')}` }),
    status: 200,
    sees: CAN_LIST.A,
  },
  // batch: all or nothing, each operation under its own rule
  {
    path: 'batch',
    name: "B: own create + update of A's doc → nothing written",
    actor: 'B',
    request: (x) => ({
      method: 'POST',
      url: '/api/batch',
      body: { requests: [{ method: 'POST', url: DOCS_URL, body: { title: 'BATCH-B', owner: x.users.B } }, { method: 'PATCH', url: `${DOCS_URL}/${x.docs.dA}`, body: { note: 'pwned' } }] },
    }),
    status: 400,
    check: async (body) => {
      expect(body.data.requests['1'].response.status).toBe(404);
      expect(await count("SELECT COUNT(*) FROM docs WHERE title = 'BATCH-B' OR note = 'pwned'")).toBe(0);
    },
  },
  {
    path: 'batch',
    name: "B deletes A's doc → refused",
    actor: 'B',
    request: (x) => ({ method: 'POST', url: '/api/batch', body: { requests: [{ method: 'DELETE', url: `${DOCS_URL}/${x.docs.dA}` }] } }),
    status: 400,
    check: async (_b, x) => expect(await count('SELECT COUNT(*) FROM docs WHERE id = ?', [x.docs.dA])).toBe(1),
  },
  {
    path: 'batch',
    name: 'anonymous create → refused',
    actor: 'anon',
    request: () => ({ method: 'POST', url: '/api/batch', body: { requests: [{ method: 'POST', url: DOCS_URL, body: { title: 'BATCH-anon', owner: '' } }] } }),
    status: 400,
    check: async () => expect(await count("SELECT COUNT(*) FROM docs WHERE title = 'BATCH-anon'")).toBe(0),
  },
  {
    path: 'batch',
    name: 'superuser: any update',
    actor: 'super',
    request: (x) => ({ method: 'POST', url: '/api/batch', body: { requests: [{ method: 'PATCH', url: `${DOCS_URL}/${x.docs.dB}`, body: { note: 'by super in batch' } }] } }),
    status: 200,
    sees: ['dB'],
    check: async (_b, x) => expect(await count('SELECT COUNT(*) FROM docs WHERE id = ? AND note = ?', [x.docs.dB, 'by super in batch'])).toBe(1),
  },
  {
    path: 'batch',
    name: 'A: own create + own update → both written',
    actor: 'A',
    request: (x) => ({
      method: 'POST',
      url: '/api/batch',
      body: { requests: [{ method: 'POST', url: DOCS_URL, body: { title: 'BATCH-A', owner: x.users.A } }, { method: 'PATCH', url: `${DOCS_URL}/${x.docs.dA}`, body: { note: 'batched' } }] },
    }),
    status: 200,
    sees: ['dA'],
    check: async (body) => {
      expect(body.map((r: { status: number }) => r.status)).toEqual([200, 200]);
      expect(await count("SELECT COUNT(*) FROM docs WHERE title = 'BATCH-A'")).toBe(1);
    },
  },
];

describe('rules × actors × paths', () => {
  it('covers every path for every actor', () => {
    const paths = new Set(CASES.map((c) => c.path));
    expect([...paths].sort()).toEqual(['batch', 'create', 'delete', 'expand', 'hidden filter', 'list', 'relation filter', 'update', 'view']);
    for (const p of ['list', 'view', 'create', 'update', 'delete', 'expand', 'batch'] as Path[]) {
      expect(new Set(CASES.filter((c) => c.path === p).map((c) => c.actor)), p).toEqual(new Set(ACTORS));
    }
  });

  it.each(CASES.map((c) => [`${c.path}: ${c.actor} — ${c.name}`, c] as const))('%s', async (_label, c) => {
    const { method, url, body } = await c.request(w);
    const res = await w.t.api(method, url, body, w.tokens[c.actor]);
    expect(res.status, JSON.stringify(res.body)).toBe(c.status);
    await assertNoLeak(JSON.stringify(res.body ?? ''), c.actor, c.sees ?? []);
    await c.check?.(res.body, w);
  });
});
