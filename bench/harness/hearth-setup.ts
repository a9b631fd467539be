/**
 * Sets up a fresh Hearth through its public REST API, as a superuser: the bench collections
 * (PocketBase 0.23+ JSON derived from scenarios/schema.ts), the seed rows (via /api/batch, or
 * single POSTs when batch is unavailable), and one signed-in token per bench user.
 */
import type { Dataset, Row } from '../scenarios/dataset.ts';
import { COLLECTIONS, type BenchCollection } from '../scenarios/schema.ts';
import { eachLimit, HearthRequestError, type HearthClient } from './hearth-client.ts';

/** Records per /api/batch request: big enough to amortise, small enough for a default batch limit. */
const BATCH_SIZE = 50;
const SINGLE_POST_CONCURRENCY = 16;
const SIGN_IN_CONCURRENCY = 4;
const MAX_RATE_LIMIT_RETRIES = 20;

export async function superuserToken(client: HearthClient, email: string, password: string): Promise<string> {
  const res = await client.call<{ token: string }>('POST', '/api/collections/_superusers/auth-with-password', {
    identity: email,
    password,
  });
  return res.token;
}

/** Best effort: PocketBase-style settings that lift batch and rate limits; ignored if unsupported. */
export async function relaxSettings(client: HearthClient, token: string): Promise<void> {
  await client.request(
    'PATCH',
    '/api/settings',
    { batch: { enabled: true, maxRequests: 1000, timeout: 60 }, rateLimits: { enabled: false } },
    token,
  );
}

function collectionJson(c: BenchCollection, ids: Map<string, string>): Record<string, unknown> {
  return {
    name: c.name,
    type: 'base',
    fields: c.fields.map((f) =>
      f.type === 'relation'
        ? { name: f.name, type: 'relation', collectionId: ids.get(f.target!), maxSelect: 1, cascadeDelete: false }
        : { name: f.name, type: f.type },
    ),
    indexes: c.indexes,
    listRule: c.listRule,
    viewRule: c.viewRule,
    createRule: c.createRule,
    updateRule: c.updateRule,
    deleteRule: c.deleteRule,
  };
}

export async function createCollections(client: HearthClient, token: string): Promise<void> {
  const ids = new Map<string, string>();
  const users = await client.call<{ id: string }>('GET', '/api/collections/users', undefined, token);
  ids.set('users', users.id);
  for (const c of COLLECTIONS) {
    const created = await client.call<{ id: string }>('POST', '/api/collections', collectionJson(c, ids), token);
    ids.set(c.name, created.id);
  }
}

function bodyFor(collection: string, row: Row, password: string): Row {
  return collection === 'users' ? { ...row, password, passwordConfirm: password } : row;
}

async function seedBatch(client: HearthClient, token: string, collection: string, rows: Row[], password: string): Promise<void> {
  const requests = rows.map((r) => ({ method: 'POST', url: `/api/collections/${collection}/records`, body: bodyFor(collection, r, password) }));
  const res = await client.call<Array<{ status: number; body: unknown }>>('POST', '/api/batch', { requests }, token);
  const bad = res.findIndex((r) => r.status < 200 || r.status > 299);
  if (bad >= 0) throw new Error(`POST /api/batch item ${bad} (${collection}) → ${res[bad]!.status} ${JSON.stringify(res[bad]!.body)}`);
}

/** Seeds every collection in dependency order; returns how it seeded (for the log). */
export async function seedRows(client: HearthClient, token: string, data: Dataset): Promise<'batch' | 'single'> {
  const order = ['users', ...COLLECTIONS.map((c) => c.name)];
  let mode: 'batch' | 'single' = 'batch';
  for (const name of order) {
    const rows = data.rows[name] ?? [];
    for (let i = 0; i < rows.length; i += BATCH_SIZE) {
      const chunk = rows.slice(i, i + BATCH_SIZE);
      if (mode === 'batch') {
        try {
          await seedBatch(client, token, name, chunk, data.password);
          continue;
        } catch (err) {
          // Batch missing or disabled (404/403/400 on the first call): fall back to single POSTs.
          if (!(err instanceof HearthRequestError) || i > 0 || name !== order[0]) throw err;
          mode = 'single';
        }
      }
      await eachLimit(chunk, SINGLE_POST_CONCURRENCY, async (row) => {
        await client.call('POST', `/api/collections/${name}/records`, bodyFor(name, row, data.password), token);
      });
    }
  }
  return mode;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Signs every user in with the password, honouring 429 Retry-After (auth rate limits). */
export async function signInUsers(client: HearthClient, data: Dataset): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  await eachLimit(data.rows.users!, SIGN_IN_CONCURRENCY, async (u) => {
    for (let attempt = 0; ; attempt++) {
      const path = '/api/collections/users/auth-with-password';
      const res = await client.request('POST', path, { identity: u.email, password: data.password });
      if (res.status === 200) {
        tokens.set(u.id as string, (res.json as { token: string }).token);
        return;
      }
      if (res.status !== 429 || attempt >= MAX_RATE_LIMIT_RETRIES) throw new HearthRequestError('POST', path, res);
      await sleep(2000);
    }
  });
  return tokens;
}
