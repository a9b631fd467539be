/**
 * PocketBase's record test fixture (`tests/data` of pocketbase/pocketbase: demo1…demo5, users,
 * clients, nologin, view1, view2, numeric_id_view), recreated through Hearth's public API with
 * PocketBase's ids, rules, fields and records. Uploaded files keep their original names' stems
 * (Hearth adds its own random suffix). The fixture is built once per file into a template data
 * dir; `fresh()` starts another server over a copy of it, so a scenario that writes gets
 * PocketBase's untouched data, as each of its scenarios does.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, openTestServer, startServer, TEST_ENGINE } from '../harness.ts';
import { FIXTURE_SCRYPT, IDS, PASSWORD } from './pb-data.ts';

export { IDS, PASSWORD } from './pb-data.ts';

/** Actors of PocketBase's scenarios (the records its test tokens belong to). */
export type Actor = 'superuser' | 'user' | 'user2' | 'client' | 'nologin';

export interface CrudServer {
  url: string;
  tokens: Record<Actor, string>;
  /** JSON request (a string body is sent as is) with an actor's token or a raw token. */
  api(method: string, path: string, body?: unknown, auth?: Actor | string): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export interface FreshOptions {
  /** Hooks files (name → source) put in the copy's `hearth_hooks/`, as a user installs hooks. */
  hooks?: Record<string, string>;
}

export interface CrudFixture extends CrudServer {
  /** Another server over an untouched copy of the fixture. */
  fresh(options?: FreshOptions): Promise<CrudServer>;
}

// Tiny real files: a 1×1 PNG, an SVG and text (file-type sniffs the content).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');
const TXT = Buffer.from('test');
const fileFor = (name: string): Blob => {
  const type = name.endsWith('.png') ? 'image/png' : name.endsWith('.svg') ? 'image/svg+xml' : 'text/plain';
  const bytes = name.endsWith('.png') ? PNG : name.endsWith('.svg') ? SVG : TXT;
  return new Blob([bytes], { type });
};

const USER_FIELDS = [
  { name: 'username', type: 'text', required: true, min: 3, max: 150, pattern: '^[\\w][\\w\\.\\-]*$', autogeneratePattern: 'users[0-9]{5}' },
  { name: 'name', type: 'text' },
];

function collections(): Array<Record<string, unknown>> {
  const demo3Rule = '@request.auth.id != "" && @request.auth.collectionName != "users"';
  const rel = (name: string, collectionId: string, maxSelect: number, extra: Record<string, unknown> = {}) => ({ name, type: 'relation', collectionId, maxSelect, ...extra });
  return [
    {
      id: IDS.demo2,
      name: 'demo2',
      fields: [{ name: 'title', type: 'text', required: true, min: 2 }, { name: 'active', type: 'bool' }],
      indexes: ['CREATE UNIQUE INDEX "idx_unique_demo2_title" on "demo2" ("title")', 'CREATE INDEX "idx_demo2_active" ON "demo2" ("active")'],
      listRule: '', viewRule: '', createRule: '', updateRule: '', deleteRule: '',
    },
    {
      id: IDS.demo3,
      name: 'demo3',
      fields: [{ name: 'title', type: 'text' }, { name: 'files', type: 'file', maxSelect: 99, maxSize: 5242880 }],
      listRule: `// example leading comment...\n${demo3Rule}\n// example trailing comment...`,
      viewRule: demo3Rule, createRule: demo3Rule, updateRule: demo3Rule, deleteRule: demo3Rule,
    },
    {
      id: IDS.demo4,
      name: 'demo4',
      fields: [{ name: 'title', type: 'text' }],
      listRule: '', viewRule: '', createRule: "@request.auth.collectionName = 'users'", updateRule: "@request.auth.collectionName = 'users'", deleteRule: '',
    },
    {
      id: IDS.demo1,
      name: 'demo1',
      fields: [
        { name: 'text', type: 'text' },
        { name: 'bool', type: 'bool' },
        { name: 'url', type: 'url' },
        { name: 'select_one', type: 'select', maxSelect: 1, values: ['optionA', 'optionB', 'optionC'] },
        { name: 'select_many', type: 'select', maxSelect: 3, values: ['optionA', 'optionB', 'optionC'] },
        { name: 'file_one', type: 'file', maxSelect: 1, maxSize: 5242880, protected: true },
        { name: 'file_many', type: 'file', maxSelect: 99, maxSize: 5242880 },
        { name: 'number', type: 'number' },
        { name: 'email', type: 'email' },
        { name: 'datetime', type: 'date' },
        { name: 'json', type: 'json', maxSize: 5242880 },
        rel('rel_many', IDS.users, 9999, { cascadeDelete: true }),
      ],
    },
    {
      id: IDS.clients,
      name: 'clients',
      type: 'auth',
      fields: USER_FIELDS,
      indexes: ['CREATE UNIQUE INDEX `idx_clients_username` ON `clients` (username)'],
    },
    {
      id: IDS.nologin,
      name: 'nologin',
      type: 'auth',
      fields: USER_FIELDS,
      indexes: ['CREATE UNIQUE INDEX `idx_nologin_username` ON `nologin` (username)'],
      listRule: '', viewRule: '', createRule: '', updateRule: '', deleteRule: '',
    },
  ];
}

/** Fields added once every collection exists (relations that point forward or at themselves). */
function laterFields(): Record<string, Array<Record<string, unknown>>> {
  const rel = (name: string, collectionId: string, maxSelect: number, extra: Record<string, unknown> = {}) => ({ name, type: 'relation', collectionId, maxSelect, ...extra });
  return {
    demo1: [rel('rel_one', IDS.demo1, 1)],
    demo4: [
      rel('rel_one_no_cascade', IDS.demo3, 1),
      rel('rel_one_no_cascade_required', IDS.demo3, 1, { required: true }),
      rel('rel_one_cascade', IDS.demo3, 1, { cascadeDelete: true }),
      rel('rel_many_no_cascade', IDS.demo3, 999),
      rel('rel_many_no_cascade_required', IDS.demo3, 999, { required: true }),
      rel('rel_many_cascade', IDS.demo3, 999, { cascadeDelete: true }),
      rel('rel_one_unique', IDS.demo3, 1),
      rel('rel_many_unique', IDS.demo3, 999),
      rel('self_rel_one', IDS.demo4, 1),
      rel('self_rel_many', IDS.demo4, 999),
      { name: 'json_array', type: 'json', maxSize: 5242880 },
      { name: 'json_object', type: 'json', maxSize: 5242880 },
    ],
  };
}

interface Seed {
  collection: string;
  data: Record<string, unknown>;
  files?: Record<string, string[]>;
}

const SEEDS: Seed[] = [
  { collection: 'demo2', data: { id: 'llvuca81nly1qls', title: 'test1' } },
  { collection: 'demo2', data: { id: 'achvryl401bhse3', title: 'test2', active: true } },
  { collection: 'demo2', data: { id: '0yxhwia2amd8gec', title: 'test3', active: true } },
  { collection: 'users', data: { id: '4q1xlclmfloku33', email: 'test@example.com', username: 'users75657', name: 'test1', rel: 'llvuca81nly1qls', verified: false }, files: { avatar: ['300_1SEi6Q6U72.png'] } },
  { collection: 'users', data: { id: 'oap640cot4yru2s', email: 'test2@example.com', username: 'test2_username', verified: true }, files: { file: ['test_kfd2wYLxkz.txt'] } },
  { collection: 'users', data: { id: 'bgs820n361vj1qd', email: 'test3@example.com', username: 'users69238', name: 'test3', emailVisibility: true, verified: true, rel: '0yxhwia2amd8gec' } },
  { collection: 'clients', data: { id: 'gk390qegs4y47wn', email: 'test@example.com', username: 'clients57772', verified: true } },
  { collection: 'clients', data: { id: 'o1y0dd0spd786md', email: 'test2@example.com', username: 'clients43362', name: 'test_name', verified: false } },
  { collection: 'nologin', data: { id: 'dc49k6jgejn40h3', email: 'test@example.com', username: 'test_username', name: 'test', verified: false } },
  { collection: 'nologin', data: { id: 'phhq3wr65cap535', email: 'test2@example.com', username: 'viewers74618', emailVisibility: true, verified: false } },
  { collection: 'nologin', data: { id: 'oos036e9xvqeexy', email: 'test3@example.com', username: 'nologin84738', verified: true } },
  { collection: 'demo3', data: { id: '1tmknxy2868d869', title: 'test1' } },
  { collection: 'demo3', data: { id: 'lcl9d87w22ml6jy', title: 'test2' }, files: { files: ['test_FLurQTgrY8.txt', '300_UhLKX91HVb.png'] } },
  { collection: 'demo3', data: { id: '7nwo8tuiatetxdm', title: 'test3' }, files: { files: ['test_JnXeKEwgwr.txt'] } },
  { collection: 'demo3', data: { id: 'mk5fmymtx4wsprk', title: 'test4' }, files: { files: ['300_JdfBOieXAW.png'] } },
  {
    collection: 'demo1',
    data: { id: '84nmscqy84lsi1t', text: 'test', bool: true, url: 'https://example.copm', select_one: 'optionB', select_many: ['optionB', 'optionC'], number: 123456, email: 'test@example.com', datetime: '2022-10-01 12:00:00.000Z', json: [1, 2, 3], rel_many: ['oap640cot4yru2s'] },
    files: { file_one: ['test_d61b33QdDU.txt'], file_many: ['test_QZFjKjXchk.txt', '300_WlbFWSGmW9.png', 'logo_vcfJJG5TAh.svg', 'test_MaWC6mWyrP.txt', 'test_tC1Yc87DfC.txt'] },
  },
  {
    collection: 'demo1',
    data: { id: 'al1h9ijdeojtsjy', text: 'test2', select_one: 'optionB', select_many: ['optionB'], number: 456, email: 'test2@example.com', json: null, rel_one: '84nmscqy84lsi1t', rel_many: ['bgs820n361vj1qd', '4q1xlclmfloku33', 'oap640cot4yru2s'] },
    files: { file_one: ['300_Jsjq7RdBgA.png'] },
  },
  { collection: 'demo1', data: { id: 'imy661ixudk5izi', text: 'lorem ipsum', json: null } },
  {
    collection: 'demo4',
    data: { id: 'qzaqccwrmva4o1n', title: 'test1', rel_one_no_cascade: 'mk5fmymtx4wsprk', rel_one_no_cascade_required: 'lcl9d87w22ml6jy', rel_one_cascade: '7nwo8tuiatetxdm', json_array: [1], json_object: { a: 123 }, rel_many_no_cascade: ['1tmknxy2868d869'], rel_many_no_cascade_required: ['lcl9d87w22ml6jy', '1tmknxy2868d869'], rel_many_cascade: ['mk5fmymtx4wsprk'] },
  },
  { collection: 'demo4', data: { id: 'i9naidtvr6qsgb4', title: 'test2', rel_one_no_cascade_required: 'lcl9d87w22ml6jy', self_rel_one: 'qzaqccwrmva4o1n', json_array: [1, 2, 3], json_object: { a: { b: 'test' } }, rel_many_no_cascade_required: ['7nwo8tuiatetxdm'] } },
  { collection: 'demo5', data: { id: 'qjeql998mtp1azp', rel_many: ['qzaqccwrmva4o1n', 'i9naidtvr6qsgb4'], rel_one: 'i9naidtvr6qsgb4', select_many: ['b', 'c', 'a'], select_one: 'b' }, files: { file: ['logo_vcf_jjg5_tah_9MtIHytOmZ.svg'] } },
  { collection: 'demo5', data: { id: 'la4y2w4o98acwuj', total: 2 }, files: { file: ['300_uh_lkx91_hvb_Da8K5pl069.png'] } },
];

/** Builds the fixture into a data dir of its own and returns that dir and the actors' tokens. */
async function buildTemplate(): Promise<{ dir: string; database: string; tokens: Record<Actor, string> }> {
  const t = await startServer({ passwordParams: FIXTURE_SCRYPT, logLevel: (process.env.HEARTH_TEST_LOG as 'error') ?? 'silent' });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await t.api(method, path, body, t.adminToken);
    if (res.status < 200 || res.status > 299) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  await call('PATCH', '/api/settings', { rateLimits: { enabled: false } });
  await call('PATCH', '/api/collections/users', {
    fields: [
      ...USER_FIELDS,
      { name: 'avatar', type: 'file', maxSelect: 1, maxSize: 5242880, mimeTypes: ['image/jpg', 'image/jpeg', 'image/png', 'image/svg+xml', 'image/gif'], thumbs: ['70x50', '70x50t', '70x50b', '70x50f', '0x50', '70x0'] },
      { name: 'file', type: 'file', maxSelect: 5, maxSize: 5242880 },
    ],
    indexes: ['CREATE UNIQUE INDEX `__pb_users_auth__username_idx` ON `users` (username)'],
    listRule: null, viewRule: 'id = @request.auth.id', createRule: '', updateRule: 'id = @request.auth.id', deleteRule: 'id = @request.auth.id',
  });
  for (const c of collections()) await call('POST', '/api/collections', c);
  await call('PATCH', '/api/collections/users', { fields: [...(await call('GET', '/api/collections/users')).fields, { name: 'rel', type: 'relation', collectionId: IDS.demo2, maxSelect: 1 }] });
  for (const [name, fields] of Object.entries(laterFields())) {
    const current = await call('GET', `/api/collections/${name}`);
    await call('PATCH', `/api/collections/${name}`, { fields: [...current.fields, ...fields] });
  }
  await call('PATCH', '/api/collections/demo4', {
    indexes: [
      "CREATE UNIQUE INDEX `idx_luoQV2A` ON `demo4` (`rel_one_unique`) WHERE rel_one_unique != ''",
      "CREATE UNIQUE INDEX `idx_IjL94ze` ON `demo4` (`rel_many_unique`) WHERE rel_many_unique != '[]'",
    ],
  });
  await call('POST', '/api/collections', {
    id: IDS.demo5,
    name: 'demo5',
    fields: [
      { name: 'select_one', type: 'select', maxSelect: 1, values: ['a', 'b', 'c', 'd'] },
      { name: 'select_many', type: 'select', maxSelect: 5, values: ['a', 'b', 'c', 'd', 'e'] },
      { name: 'rel_one', type: 'relation', collectionId: IDS.demo4, maxSelect: 1 },
      { name: 'rel_many', type: 'relation', collectionId: IDS.demo4, maxSelect: 5 },
      { name: 'total', type: 'number' },
      { name: 'file', type: 'file', maxSelect: 1, maxSize: 5242880 },
    ],
    listRule: 'select_many:length = 3',
    viewRule: 'rel_many.self_rel_many.rel_many_cascade.files:length = 1',
    createRule: '@request.body.total = 3',
    updateRule: '@request.body.total = 3',
    deleteRule: '@request.query.test:isset = true',
  });

  for (const seed of SEEDS) {
    const auth = seed.collection === 'users' || seed.collection === 'clients' || seed.collection === 'nologin';
    const data = auth ? { emailVisibility: false, ...seed.data, password: PASSWORD, passwordConfirm: PASSWORD } : seed.data;
    await call('POST', `/api/collections/${seed.collection}/records`, data);
  }
  // demo4's records point at each other.
  await call('PATCH', '/api/collections/demo4/records/qzaqccwrmva4o1n', { self_rel_one: 'i9naidtvr6qsgb4', self_rel_many: ['i9naidtvr6qsgb4', 'qzaqccwrmva4o1n'] });
  for (const seed of SEEDS) {
    if (!seed.files) continue;
    const form = new FormData();
    for (const [field, names] of Object.entries(seed.files)) for (const name of names) form.append(field, fileFor(name), name.replace(/_[A-Za-z0-9]{10}(\.\w+)$/, '$1'));
    const res = await fetch(`${t.url}/api/collections/${seed.collection}/records/${seed.data.id}`, { method: 'PATCH', headers: { authorization: t.adminToken }, body: form });
    if (res.status !== 200) throw new Error(`upload to ${seed.collection}/${String(seed.data.id)}: ${res.status} ${await res.text()}`);
  }

  await call('POST', '/api/collections', {
    id: IDS.view1,
    name: 'view1',
    type: 'view',
    viewQuery: 'select id, text, bool, url, select_one, select_many, file_one, file_many, number, email, datetime, json, rel_one, rel_many, created from demo1',
    listRule: '@request.auth.id != "" && bool = true',
    viewRule: '@request.auth.id != "" && bool = true',
  });
  await call('POST', '/api/collections', {
    id: IDS.view2,
    name: 'view2',
    type: 'view',
    viewQuery: 'SELECT view1.id, view1.bool as state, view1.file_many, view1.rel_many from view1',
    listRule: '',
    viewRule: '',
  });
  await call('POST', '/api/collections', { name: 'numeric_id_view', type: 'view', viewQuery: 'select (ROW_NUMBER() OVER()) as id, email from clients', listRule: '', viewRule: '' });

  const signIn = async (collection: string, email: string) => (await call('POST', `/api/collections/${collection}/auth-with-password`, { identity: email, password: PASSWORD })).token as string;
  const tokens: Record<Actor, string> = {
    superuser: t.adminToken,
    user: await signIn('users', 'test@example.com'),
    user2: await signIn('users', 'test2@example.com'),
    client: await signIn('clients', 'test@example.com'),
    nologin: await signIn('nologin', 'test@example.com'),
  };
  // PocketBase's final options (after the records signed in once).
  await call('PATCH', '/api/collections/clients', { authRule: 'verified=true', passwordAuth: { enabled: true, identityFields: ['email', 'username'] } });
  await call('PATCH', '/api/collections/nologin', { manageRule: "@request.auth.collectionName = 'users'", passwordAuth: { enabled: false, identityFields: ['email'] } });
  await t.server.close();
  return { dir: t.dir, database: t.database, tokens };
}

/** The template's data dir (and on PostgreSQL its database) copied for one more server. */
async function serve(template: string, database: string, tokens: Record<Actor, string>, options: FreshOptions = {}): Promise<CrudServer> {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-pb-crud-'));
  cpSync(template, dir, { recursive: true });
  if (options.hooks) {
    mkdirSync(join(dir, 'hearth_hooks'), { recursive: true });
    for (const [name, source] of Object.entries(options.hooks)) writeFileSync(join(dir, 'hearth_hooks', name), source);
  }
  const db = TEST_ENGINE === 'postgres' ? await createTestDatabase(database) : undefined;
  const server = await openTestServer({ dir, db, http: '127.0.0.1:0', logLevel: 'silent', passwordParams: FIXTURE_SCRYPT });
  const { url } = await server.listen();
  return {
    url,
    tokens,
    async api(method, path, body, auth) {
      const headers: Record<string, string> = {};
      let payload: string | undefined;
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        payload = typeof body === 'string' ? body : JSON.stringify(body);
      }
      if (auth) headers.authorization = tokens[auth as Actor] ?? auth;
      const res = await fetch(url + path, { method, headers, body: payload });
      const text = await res.text();
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = text;
      }
      return { status: res.status, body: parsed };
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startCrudFixture(): Promise<CrudFixture> {
  const { dir: template, database, tokens } = await buildTemplate();
  const main = await serve(template, database, tokens);
  return {
    ...main,
    fresh: (options) => serve(template, database, tokens, options),
    async close() {
      await main.close();
      rmSync(template, { recursive: true, force: true });
    },
  };
}
