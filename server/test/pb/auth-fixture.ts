/**
 * PocketBase's auth test fixture (`tests/data` of pocketbase/pocketbase), recreated through
 * Hearth's public API: the auth collections `users`, `clients`, `nologin` and `_superusers` with
 * PocketBase's ids, emails and options, a base collection `demo1`, and every record's password
 * `1234567890`. Mails go to a real SMTP capture. Hashing is slow (scrypt), so a file builds the
 * fixture once and its scenarios share it.
 */
import { ADMIN_EMAIL, startServer, type TestServer } from '../harness.ts';
import { startSmtp, type Inbox } from '../auth-helpers.ts';
import { FIXTURE_SCRYPT, IDS, PASSWORD } from './pb-data.ts';

export { FIXTURE_SCRYPT, IDS, PASSWORD } from './pb-data.ts';

interface SeedRecord {
  id: string;
  email: string;
  username?: string;
  verified: boolean;
  emailVisibility?: boolean;
  name?: string;
  rel?: string;
}

/** The fixture's auth records, by collection (ids, emails and flags as in PocketBase's data.db). */
export const RECORDS: Record<'users' | 'clients' | 'nologin' | '_superusers', SeedRecord[]> = {
  users: [
    { id: '4q1xlclmfloku33', email: 'test@example.com', username: 'users75657', verified: false, name: 'test1', rel: 'llvuca81nly1qls' },
    { id: 'oap640cot4yru2s', email: 'test2@example.com', username: 'test2_username', verified: true },
    { id: 'bgs820n361vj1qd', email: 'test3@example.com', username: 'users69238', verified: true, emailVisibility: true, name: 'test3' },
  ],
  clients: [
    { id: 'gk390qegs4y47wn', email: 'test@example.com', username: 'clients57772', verified: true },
    { id: 'o1y0dd0spd786md', email: 'test2@example.com', username: 'clients43362', verified: false },
  ],
  nologin: [
    { id: 'dc49k6jgejn40h3', email: 'test@example.com', username: 'test_username', verified: false },
    { id: 'phhq3wr65cap535', email: 'test2@example.com', username: 'viewers74618', verified: false, emailVisibility: true },
    { id: 'oos036e9xvqeexy', email: 'test3@example.com', username: 'nologin84738', verified: true },
  ],
  _superusers: [
    { id: 'sywbhecnh46rhm0', email: 'test@example.com', verified: true },
    { id: 'sbmbsdb40jyxf7h', email: 'test2@example.com', verified: true },
    { id: '9q2trqumvlyr3bd', email: 'test3@example.com', verified: true },
    { id: 'q911776rrfy658l', email: 'test4@example.com', verified: true },
  ],
};

/** The fixture's rows of the auth system collections (PocketBase's data.db), created through the API. */
export const SYSTEM_ROWS: Record<'_externalAuths' | '_authOrigins', Record<string, string>[]> = {
  _externalAuths: [
    { id: 'clmflokuq1xl341', collectionRef: IDS.users, recordRef: '4q1xlclmfloku33', provider: 'google', providerId: 'test123' },
    { id: 'dlmflokuq1xl342', collectionRef: IDS.users, recordRef: '4q1xlclmfloku33', provider: 'gitlab', providerId: 'test123' },
    { id: 'f1z5b3843pzc964', collectionRef: IDS.clients, recordRef: 'gk390qegs4y47wn', provider: 'google', providerId: 'test456' },
    { id: '5eto7nmys833164', collectionRef: IDS.users, recordRef: 'bgs820n361vj1qd', provider: 'github', providerId: 'test456' },
  ],
  _authOrigins: [
    { id: '5f29jy38bf5zm3f', collectionRef: IDS.superusers, recordRef: 'sywbhecnh46rhm0', fingerprint: '6afbfe481c31c08c55a746cccb88ece0' },
    { id: 'dmy260k6ksjr4ib', collectionRef: IDS.superusers, recordRef: 'sbmbsdb40jyxf7h', fingerprint: '22bbbcbed36e25321f384ccf99f60057' },
    { id: 'ic55o70g4f8pcl4', collectionRef: IDS.superusers, recordRef: 'sbmbsdb40jyxf7h', fingerprint: '6afbfe481c31c08c55a746cccb88ece0' },
    { id: '5798yh833k6w6w0', collectionRef: IDS.superusers, recordRef: 'sbmbsdb40jyxf7h', fingerprint: 'dc879cfc889d0f1c1f3258d6f3a828fe' },
    { id: '9r2j0m74260ur8i', collectionRef: IDS.clients, recordRef: 'gk390qegs4y47wn', fingerprint: '22bbbcbed36e25321f384ccf99f60057' },
  ],
};

const USERNAME_FIELDS = [
  { name: 'username', type: 'text', required: true },
  { name: 'name', type: 'text' },
];

/** Options each auth collection ends with (applied after the records signed in once). */
const FINAL_OPTIONS: Record<string, Record<string, unknown>> = {
  users: {
    passwordAuth: { enabled: true, identityFields: ['email', 'username'] },
    mfa: { enabled: true, duration: 1800, rule: '' },
    otp: { enabled: true, duration: 300, length: 8 },
  },
  clients: { authRule: 'verified=true', passwordAuth: { enabled: true, identityFields: ['email', 'username'] } },
  nologin: { manageRule: "@request.auth.collectionName = 'users'", passwordAuth: { enabled: false, identityFields: ['email'] } },
};

export interface AuthFixture extends TestServer {
  inbox: Inbox;
  /** A refreshable token of `collection`'s record with `email`, issued while the fixture was built. */
  token(collection: keyof typeof RECORDS, email: string): string;
  /** A fresh non-refreshable token (superuser impersonation; no scrypt). */
  impersonate(collection: string, id: string): Promise<string>;
  /** Superuser PATCH of a collection; throws unless 200. */
  patchCollection(name: string, body: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

async function must(res: Promise<{ status: number; body: any }>, what: string): Promise<any> {
  const out = await res;
  if (out.status < 200 || out.status > 299) throw new Error(`${what}: ${out.status} ${JSON.stringify(out.body)}`);
  return out.body;
}

function indexesFor(name: string): string[] {
  return [`CREATE UNIQUE INDEX \`idx_${name}_username\` ON \`${name}\` (username)`];
}

export async function startAuthFixture(): Promise<AuthFixture> {
  const inbox = await startSmtp();
  const t = await startServer({ smtpUrl: inbox.url, passwordParams: FIXTURE_SCRYPT });
  let admin = t.adminToken;
  const call = (method: string, path: string, body?: unknown) => must(t.api(method, path, body, admin), `${method} ${path}`);

  // PocketBase's test app runs without rate limits; the scenarios sign in far more often than a person.
  await call('PATCH', '/api/settings', { rateLimits: { enabled: false } });

  await call('POST', '/api/collections', { id: IDS.demo2, name: 'demo2', type: 'base', fields: [{ name: 'title', type: 'text' }], listRule: '', viewRule: '' });
  await call('POST', '/api/collections', { id: IDS.demo1, name: 'demo1', type: 'base', fields: [{ name: 'text', type: 'text' }] });
  await call('POST', '/api/collections/demo2/records', { id: 'llvuca81nly1qls', title: 'test1' });
  await call('PATCH', '/api/collections/users', {
    fields: [
      ...USERNAME_FIELDS,
      { name: 'rel', type: 'relation', collectionId: IDS.demo2, maxSelect: 1 },
    ],
    indexes: indexesFor('users'),
    listRule: null,
    viewRule: 'id = @request.auth.id',
    createRule: '',
    updateRule: 'id = @request.auth.id',
    deleteRule: 'id = @request.auth.id',
  });
  for (const [name, rule] of [['clients', null], ['nologin', '']] as const) {
    await call('POST', '/api/collections', {
      id: IDS[name],
      name,
      type: 'auth',
      fields: USERNAME_FIELDS,
      indexes: indexesFor(name),
      listRule: rule,
      viewRule: rule,
      createRule: rule,
      updateRule: rule,
      deleteRule: rule,
    });
  }

  const tokens = new Map<string, string>();
  await Promise.all(
    Object.entries(RECORDS).map(async ([collection, records]) => {
      for (const r of records) {
        await call('POST', `/api/collections/${collection}/records`, {
          ...r,
          emailVisibility: r.emailVisibility ?? false,
          password: PASSWORD,
          passwordConfirm: PASSWORD,
        });
        const auth = await call('POST', `/api/collections/${collection}/auth-with-password`, { identity: r.email, password: PASSWORD });
        tokens.set(`${collection}:${r.email}`, auth.token);
      }
    }),
  );
  for (const [name, options] of Object.entries(FINAL_OPTIONS)) await call('PATCH', `/api/collections/${name}`, options);
  for (const [collection, rows] of Object.entries(SYSTEM_ROWS)) {
    for (const row of rows) await call('POST', `/api/collections/${collection}/records`, row);
  }
  // From here on the fixture's own superuser acts as admin, and the four superusers are PocketBase's.
  admin = tokens.get('_superusers:test@example.com')!;
  const harnessAdmin = await call('GET', `/api/collections/_superusers/records?filter=${encodeURIComponent(`email = "${ADMIN_EMAIL}"`)}`);
  await call('DELETE', `/api/collections/_superusers/records/${harnessAdmin.items[0].id}`);

  return {
    ...t,
    adminToken: admin,
    inbox,
    token(collection, email) {
      const token = tokens.get(`${collection}:${email}`);
      if (!token) throw new Error(`no fixture token for ${collection}:${email}`);
      return token;
    },
    async impersonate(collection, id) {
      return (await call('POST', `/api/collections/${collection}/impersonate/${id}`, {})).token;
    },
    async patchCollection(name, body) {
      await call('PATCH', `/api/collections/${name}`, body);
    },
    async close() {
      await t.close();
      await inbox.close();
    },
  };
}
