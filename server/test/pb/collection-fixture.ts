/**
 * PocketBase's collections test fixture (`tests/data` of pocketbase/pocketbase), recreated through
 * Hearth's public API: the collections `users`, `clients`, `nologin`, `demo1`…`demo5`, `view1`,
 * `view2` and `numeric_id_view` with PocketBase's ids, fields, rules and indexes, plus the few
 * records the collection scenarios depend on (demo4 rows holding required references to demo3).
 * The actors are `superuser` and `user` (users/4q1xlclmfloku33). PocketBase's `geoPoint` field is
 * not part of Hearth, so demo1/view1 have no `point`.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { HearthServer } from '../../src/index.ts';
import { indexNames, relationKind, viewNames } from '../engine-state.ts';
import { startServer, type TestServer } from '../harness.ts';
import { FIXTURE_SCRYPT, IDS, PASSWORD } from './pb-data.ts';
import { target, type ScenarioTarget } from './scenario.ts';

export { IDS, PASSWORD } from './pb-data.ts';

const FILE = { type: 'file', maxSize: 5242880 };
const rel = (id: string, name: string, collectionId: string, extra: Record<string, unknown> = {}) => ({
  id,
  name,
  type: 'relation',
  collectionId,
  maxSelect: 1,
  ...extra,
});
const USERNAME = { id: '_pbf_auth_username_', name: 'username', type: 'text', required: true, min: 3, max: 150, pattern: '^[\\w][\\w\\.\\-]*$', autogeneratePattern: 'users[0-9]{5}' };
const AUTH_RULE = '@request.auth.id != "" && @request.auth.collectionName != "users"';
const OPTIONS_ABC = ['optionA', 'optionB', 'optionC'];

/** The collections in PocketBase's creation order (references resolved by creating targets first). */
const COLLECTIONS: Record<string, unknown>[] = [
  {
    id: IDS.demo2,
    name: 'demo2',
    type: 'base',
    fields: [
      { id: 'mkrguaaf', name: 'title', type: 'text', required: true, min: 2 },
      { id: 'izkl5z2s', name: 'active', type: 'bool' },
    ],
    indexes: [
      'CREATE INDEX `idx_demo2_created` ON `demo2` (`created`)',
      'CREATE UNIQUE INDEX "idx_unique_demo2_title" on "demo2" ("title")',
      'CREATE INDEX "idx_demo2_active" ON "demo2" (\n"active"\n)',
    ],
    listRule: '',
    viewRule: '',
    createRule: '',
    updateRule: '',
    deleteRule: '',
  },
  {
    id: IDS.demo1,
    name: 'demo1',
    type: 'base',
    fields: [
      { id: 'u7spsiph', name: 'text', type: 'text' },
      { id: 'puk534el', name: 'bool', type: 'bool' },
      { id: 'ktas5n7b', name: 'url', type: 'url' },
      { id: 'dc4abz4i', name: 'select_one', type: 'select', maxSelect: 1, values: OPTIONS_ABC },
      { id: 'owtlq7zl', name: 'select_many', type: 'select', maxSelect: 3, values: OPTIONS_ABC },
      { id: '4ulkdevf', name: 'file_one', ...FILE, maxSelect: 1, protected: true },
      { id: 'fjzhrsvq', name: 'file_many', ...FILE, maxSelect: 99 },
      { id: '1z1ld0i5', name: 'number', type: 'number' },
      { id: 'khvhpwgj', name: 'email', type: 'email' },
      { id: 'ro6p02gk', name: 'datetime', type: 'date' },
      { id: 'ei2fg4v1', name: 'json', type: 'json', maxSize: 5242880 },
      rel('zaedritp', 'rel_one', IDS.demo1),
      rel('t9bpk2ug', 'rel_many', IDS.users, { maxSelect: 9999, cascadeDelete: true }),
    ],
    indexes: ['CREATE INDEX `_wsmn24bux7wo113_created_idx` ON `demo1` (`created`)'],
  },
  {
    id: IDS.demo3,
    name: 'demo3',
    type: 'base',
    fields: [
      { id: 'w5z2x0nq', name: 'title', type: 'text', presentable: true },
      { id: 'tgqrbwio', name: 'files', ...FILE, maxSelect: 99 },
    ],
    indexes: ['CREATE INDEX `_wzlqyes4orhoygb_created_idx` ON `demo3` (`created`)'],
    listRule: `// example leading comment...\n${AUTH_RULE}\n// example trailing comment...`,
    viewRule: AUTH_RULE,
    createRule: AUTH_RULE,
    updateRule: AUTH_RULE,
    deleteRule: AUTH_RULE,
  },
  {
    id: IDS.demo4,
    name: 'demo4',
    type: 'base',
    fields: [
      { id: 'erkxnabw', name: 'title', type: 'text' },
      rel('t5jskeyz', 'rel_one_no_cascade', IDS.demo3),
      rel('ldrcjhk8', 'rel_one_no_cascade_required', IDS.demo3, { required: true }),
      rel('pl5lcd4y', 'rel_one_cascade', IDS.demo3, { cascadeDelete: true }),
      rel('jz0oue3z', 'rel_many_no_cascade', IDS.demo3, { maxSelect: 999 }),
      rel('bsxyqrhb', 'rel_many_no_cascade_required', IDS.demo3, { maxSelect: 999, required: true }),
      rel('kwmchnf7', 'rel_many_cascade', IDS.demo3, { maxSelect: 999, cascadeDelete: true }),
      rel('pmynkqk5', 'rel_one_unique', IDS.demo3),
      rel('mjzyk9vb', 'rel_many_unique', IDS.demo3, { maxSelect: 999 }),
      rel('dagiyxj4', 'self_rel_one', IDS.demo4),
      rel('tsrki8kc', 'self_rel_many', IDS.demo4, { maxSelect: 999 }),
      { id: '4wpx0hhx', name: 'json_array', type: 'json', maxSize: 5242880 },
      { id: 'ufpwiqnx', name: 'json_object', type: 'json', maxSize: 5242880 },
    ],
    indexes: [
      'CREATE INDEX `_4d1blo5cuycfaca_created_idx` ON `demo4` (`created`)',
      "CREATE UNIQUE INDEX `idx_luoQV2A` ON `demo4` (`rel_one_unique`) WHERE rel_one_unique != ''",
      "CREATE UNIQUE INDEX `idx_IjL94ze` ON `demo4` (`rel_many_unique`) WHERE rel_many_unique != '[]'",
    ],
    createRule: "@request.auth.collectionName = 'users'",
    updateRule: "@request.auth.collectionName = 'users'",
  },
  {
    id: IDS.clients,
    name: 'clients',
    type: 'auth',
    fields: [USERNAME, { id: 'lacorw19', name: 'name', type: 'text' }],
    indexes: ['CREATE UNIQUE INDEX `idx_clients_username` ON `clients` (username)'],
    authRule: 'verified=true',
    passwordAuth: { enabled: true, identityFields: ['email', 'username'] },
  },
  {
    id: IDS.nologin,
    name: 'nologin',
    type: 'auth',
    fields: [USERNAME, { id: 'x8zzktwe', name: 'name', type: 'text' }],
    indexes: ['CREATE UNIQUE INDEX `idx_nologin_username` ON `nologin` (username)'],
    listRule: '',
    viewRule: '',
    createRule: '',
    updateRule: '',
    deleteRule: '',
    manageRule: "@request.auth.collectionName = 'users'",
    passwordAuth: { enabled: false, identityFields: ['email'] },
  },
  {
    id: IDS.demo5,
    name: 'demo5',
    type: 'base',
    fields: [
      { id: 'sozvpexq', name: 'select_one', type: 'select', maxSelect: 1, values: ['a', 'b', 'c', 'd'] },
      { id: 'qlq1nxlc', name: 'select_many', type: 'select', maxSelect: 5, values: ['a', 'b', 'c', 'd', 'e'] },
      rel('ajrrsq1a', 'rel_one', IDS.demo4),
      rel('soxhs0ou', 'rel_many', IDS.demo4, { maxSelect: 5 }),
      { id: 'kvbyzuqj', name: 'total', type: 'number' },
      { id: 'ob7dsrcl', name: 'file', ...FILE, maxSelect: 1 },
    ],
    indexes: ['CREATE INDEX `_9n89pl5vkct6330_created_idx` ON `demo5` (`created`)'],
    listRule: 'select_many:length = 3',
    viewRule: 'rel_many.self_rel_many.rel_many_cascade.files:length = 1',
    createRule: '@request.body.total = 3',
    updateRule: '@request.body.total = 3',
    deleteRule: '@request.query.test:isset = true',
  },
  {
    id: IDS.view1,
    name: 'view1',
    type: 'view',
    viewQuery:
      'select id, text, bool, url, select_one, select_many, file_one, file_many, number, email, datetime, json, rel_one, rel_many, created from demo1',
    listRule: '@request.auth.id != "" && bool = true',
    viewRule: '@request.auth.id != "" && bool = true',
  },
  { id: IDS.view2, name: 'view2', type: 'view', viewQuery: 'SELECT view1.id, view1.bool as state, view1.file_many, view1.rel_many from view1\n' },
  { id: IDS.numericIdView, name: 'numeric_id_view', type: 'view', viewQuery: 'select (ROW_NUMBER() OVER()) as id, email from clients' },
];

/** users gets PocketBase's extra fields once demo2 (its `rel` target) exists. */
const USERS_PATCH = {
  fields: [
    { id: 'users_name', name: 'name', type: 'text' },
    USERNAME,
    {
      id: 'users_avatar',
      name: 'avatar',
      ...FILE,
      maxSelect: 1,
      mimeTypes: ['image/jpg', 'image/jpeg', 'image/png', 'image/svg+xml', 'image/gif'],
      thumbs: ['70x50', '70x50t', '70x50b', '70x50f', '0x50', '70x0'],
    },
    { id: 'xtecur3m', name: 'file', ...FILE, maxSelect: 5 },
    rel('lkeigvv3', 'rel', IDS.demo2),
  ],
  indexes: ['CREATE UNIQUE INDEX `idx_users_username` ON `users` (username)'],
  passwordAuth: { enabled: true, identityFields: ['email', 'username'] },
};

/** Records: [collection, body] in creation order. */
const RECORDS: [string, Record<string, unknown>][] = [
  ['demo2', { id: 'llvuca81nly1qls', title: 'test1' }],
  ['demo2', { id: 'achvryl401bhse3', title: 'test2', active: true }],
  ['demo2', { id: '0yxhwia2amd8gec', title: 'test3', active: true }],
  ['demo1', { id: '84nmscqy84lsi1t', text: 'test', bool: true }],
  ['demo1', { id: 'al1h9ijdeojtsjy', text: 'test2' }],
  ['demo3', { id: '1tmknxy2868d869', title: 'test1' }],
  ['demo3', { id: 'lcl9d87w22ml6jy', title: 'test2' }],
  ['demo3', { id: '7nwo8tuiatetxdm', title: 'test3' }],
  ['demo3', { id: 'mk5fmymtx4wsprk', title: 'test4' }],
  ['demo4', { id: 'qzaqccwrmva4o1n', title: 'test1', rel_one_no_cascade_required: 'lcl9d87w22ml6jy', rel_many_no_cascade_required: ['lcl9d87w22ml6jy', '1tmknxy2868d869'], rel_one_cascade: '7nwo8tuiatetxdm' }],
  ['demo4', { id: 'i9naidtvr6qsgb4', title: 'test2', rel_one_no_cascade_required: 'lcl9d87w22ml6jy', rel_many_no_cascade_required: ['7nwo8tuiatetxdm'] }],
  ['demo5', { id: 'qjeql998mtp1azp', select_one: 'b', rel_one: 'i9naidtvr6qsgb4', total: 0 }],
  ['demo5', { id: 'la4y2w4o98acwuj', total: 2 }],
  ['clients', { id: 'gk390qegs4y47wn', email: 'test@example.com', username: 'clients57772', verified: true, password: PASSWORD, passwordConfirm: PASSWORD }],
  ['clients', { id: 'o1y0dd0spd786md', email: 'test2@example.com', username: 'clients43362', password: PASSWORD, passwordConfirm: PASSWORD }],
  ['users', { id: '4q1xlclmfloku33', email: 'test@example.com', username: 'users75657', name: 'test1', password: PASSWORD, passwordConfirm: PASSWORD }],
];

export interface CollectionFixture extends ScenarioTarget {
  server: HearthServer;
  /** Names of the declared indexes of `table` as the engine reports them (engine-state.ts `indexNames`). */
  tableIndexes(table: string): Promise<string[]>;
  /** Every collection's name (straight from the store). */
  collectionNames(): Promise<string[]>;
  /** What `name` is in the database ('table', 'view', 'index' or undefined). */
  relationKind(name: string): Promise<'table' | 'view' | 'index' | undefined>;
  /** Every view of the database by name. */
  viewNames(): Promise<string[]>;
  close(): Promise<void>;
}

async function must(res: Promise<{ status: number; body: any }>, what: string): Promise<any> {
  const out = await res;
  if (out.status < 200 || out.status > 299) throw new Error(`${what}: ${out.status} ${JSON.stringify(out.body)}`);
  return out.body;
}

export async function startCollectionFixture(): Promise<CollectionFixture> {
  const t: TestServer = await startServer({ passwordParams: FIXTURE_SCRYPT });
  const call = (method: string, path: string, body?: unknown) => must(t.api(method, path, body, t.adminToken), `${method} ${path}`);
  for (const c of COLLECTIONS) {
    await call('POST', '/api/collections', c);
    if (c.name === 'demo2') await call('PATCH', '/api/collections/users', USERS_PATCH);
  }
  for (const [collection, body] of RECORDS) await call('POST', `/api/collections/${collection}/records`, body);
  const user = await call('POST', '/api/collections/users/auth-with-password', { identity: 'test@example.com', password: PASSWORD });
  const engine = t.server.engine;
  return {
    ...target(t.url, { superuser: t.adminToken, user: user.token }),
    server: t.server,
    tableIndexes: (table) => indexNames(engine, table),
    collectionNames: async () => (await engine.all('SELECT name FROM "_collections" ORDER BY name')).map((r) => String((r as { name: unknown }).name)),
    relationKind: (name) => relationKind(engine, name),
    viewNames: () => viewNames(engine),
    close: () => t.close(),
  };
}

/**
 * Registers beforeAll/afterAll for a file: `shared()` is one fixture for read-only scenarios,
 * `fresh()` builds a new one for a scenario that writes (the runner closes it).
 */
export function useCollectionFixture(): { shared: () => CollectionFixture; fresh: () => Promise<CollectionFixture> } {
  let fx: CollectionFixture | undefined;
  beforeAll(async () => {
    fx = await startCollectionFixture();
  }, 60_000);
  afterAll(async () => {
    await fx?.close();
  });
  return { shared: () => fx!, fresh: startCollectionFixture };
}

/** The fixture behind a scenario target (the runner passes targets typed as ScenarioTarget). */
export const fixtureOf = (t: ScenarioTarget): CollectionFixture => t as CollectionFixture;

/** The `before` step of the "index name from another collection" scenarios: demo1 gains an index `exist_test`. */
export async function indexExistTestOnDemo1(t: ScenarioTarget): Promise<void> {
  const demo1 = await t.api('GET', '/api/collections/demo1', undefined, 'superuser');
  const patched = await t.api('PATCH', '/api/collections/demo1', { indexes: [...demo1.json.indexes, 'CREATE INDEX `exist_test` ON `demo1` (`updated`)'] }, 'superuser');
  expect(patched.status).toBe(200);
}
