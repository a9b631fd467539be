/**
 * The auth record behind a cached token is kept between requests and re-read only when its
 * table's write mark moved: every way the row can change must show in the very next request's
 * `@request.auth.*` — a REST update, a write through the synchronous handle hooks get, an engine
 * statement, a script, another connection's commit, a commit of a transaction that was open while
 * a request read the row, a trigger — and a deleted record's token must stop working. On
 * PostgreSQL (no write marks: the row is read on every request) the same: "another connection"
 * is a client of its own on the database, as another node's would be, and the trigger is a
 * PL/pgSQL one; SQLite's synchronous handle has no counterpart there.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openDatabase } from '../src/db/index.ts';
import { startServer, TEST_ENGINE, type TestServer } from './harness.ts';
import { itSqliteOnly } from './sqlite-only.ts';

let t: TestServer;
let userId = '';
let token = '';
const PASSWORD = 'password 12345';
const LIGHT_SCRYPT = { N: 2 ** 12, r: 8, p: 1 };

/** What the caller's `name` currently is, as the listRule sees it: 'gold' lists the note, anything else lists nothing. */
async function seesGold(): Promise<boolean> {
  const res = await t.api('GET', '/api/collections/gold_notes/records', undefined, token);
  expect(res.status).toBe(200);
  return res.body.totalItems === 1;
}

const setName = (name: string) => t.server.engine.run('UPDATE "users" SET "name" = ? WHERE "id" = ?', [name, userId]);

/** One statement committed by a connection of its own: a second SQLite handle on the file, or a PostgreSQL client on the database. */
async function onOtherConnection(sql: string, params: unknown[]): Promise<void> {
  if (TEST_ENGINE === 'sqlite') {
    const other = openDatabase(join(t.dir, 'data.db'));
    try {
      other.run(sql, params);
    } finally {
      other.close();
    }
    return;
  }
  const other = new pg.Client({ connectionString: t.database });
  await other.connect();
  try {
    let n = 0;
    await other.query(sql.replace(/\?/g, () => `$${++n}`), params);
  } finally {
    await other.end();
  }
}

/** A script (statements without parameters) and one statement on the server's own connection: its synchronous handle on SQLite, its engine on PostgreSQL. */
const runScript = async (sql: string): Promise<void> => (TEST_ENGINE === 'sqlite' ? t.server.db.exec(sql) : t.server.engine.exec(sql));
const runOwn = async (sql: string, params: unknown[]): Promise<void> => void (TEST_ENGINE === 'sqlite' ? t.server.db.run(sql, params) : await t.server.engine.run(sql, params));

beforeAll(async () => {
  t = await startServer({ passwordParams: LIGHT_SCRYPT });
  expect((await t.api('PATCH', '/api/settings', { rateLimits: { enabled: false } }, t.adminToken)).status).toBe(200);
  const made = await t.api('POST', '/api/collections', { name: 'gold_notes', fields: [{ name: 'text', type: 'text' }], listRule: "@request.auth.name = 'gold'" }, t.adminToken);
  expect(made.status).toBe(200);
  await t.api('POST', '/api/collections/gold_notes/records', { text: 'for gold members' }, t.adminToken);
  const created = await t.api('POST', '/api/collections/users/records', { email: 'cache@example.com', password: PASSWORD, passwordConfirm: PASSWORD, name: 'plain' });
  expect(created.status).toBe(200);
  userId = created.body.id;
  const auth = await t.api('POST', '/api/collections/users/auth-with-password', { identity: 'cache@example.com', password: PASSWORD });
  token = auth.body.token;
});
afterAll(() => t.close());

describe('the cached auth record', () => {
  it('is seen unchanged by repeated requests', async () => {
    for (let i = 0; i < 3; i++) expect(await seesGold()).toBe(false);
  });

  const follows = async (write: (name: string) => Promise<void>): Promise<void> => {
    await seesGold(); // cached
    await write('gold');
    expect(await seesGold()).toBe(true);
    await write('plain');
    expect(await seesGold()).toBe(false);
  };

  it.each([
    ['a REST update', async (name: string) => expect((await t.api('PATCH', `/api/collections/users/records/${userId}`, { name }, t.adminToken)).status).toBe(200)],
    ['an engine statement', async (name: string) => void (await setName(name))],
    ['a script', async (name: string) => runScript(`UPDATE users SET name = '${name}' WHERE id = '${userId}'`)],
    ['another connection', async (name: string) => onOtherConnection('UPDATE "users" SET "name" = ? WHERE "id" = ?', [name, userId])],
  ])('follows %s at once', async (_how, write) => follows(write));

  itSqliteOnly('follows the synchronous handle at once', 'the synchronous handle (server.db) is SQLite\'s', () =>
    follows(async (name) => void t.server.db.run('UPDATE "users" SET "name" = ? WHERE "id" = ?', [name, userId])),
  );

  it('read while a transaction that changes it is open, is read again once it commits', async () => {
    expect(await seesGold()).toBe(false);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let wrote!: () => void;
    const written = new Promise<void>((resolve) => (wrote = resolve));
    const tx = t.server.engine.transaction(async (q) => {
      await q.run('UPDATE "users" SET "name" = ? WHERE "id" = ?', ['gold', userId]);
      wrote();
      await held;
    });
    await written;
    expect(await seesGold()).toBe(false); // the last commit, not the open transaction
    release();
    await tx;
    expect(await seesGold()).toBe(true);
    await setName('plain');
    expect(await seesGold()).toBe(false);
  });

  it('follows a write a trigger carries over from another table', async () => {
    await runScript(
      TEST_ENGINE === 'sqlite'
        ? `CREATE TABLE "name_feed" ("v" TEXT);
      CREATE TRIGGER "name_feed_copy" AFTER INSERT ON "name_feed" BEGIN UPDATE "users" SET "name" = NEW."v"; END;`
        : `CREATE TABLE "name_feed" ("v" TEXT);
      CREATE FUNCTION "name_feed_copy"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE "users" SET "name" = NEW."v"; RETURN NEW; END $$;
      CREATE TRIGGER "name_feed_copy" AFTER INSERT ON "name_feed" FOR EACH ROW EXECUTE FUNCTION "name_feed_copy"();`,
    );
    try {
      expect(await seesGold()).toBe(false);
      await runOwn('INSERT INTO "name_feed" ("v") VALUES (?)', ['gold']);
      expect(await seesGold()).toBe(true);
      await runOwn('INSERT INTO "name_feed" ("v") VALUES (?)', ['plain']);
      expect(await seesGold()).toBe(false);
    } finally {
      await runScript(TEST_ENGINE === 'sqlite' ? 'DROP TRIGGER "name_feed_copy"; DROP TABLE "name_feed";' : 'DROP TABLE "name_feed"; DROP FUNCTION "name_feed_copy"();');
    }
  });

  it('is gone with its record: the token stops working', async () => {
    expect(await seesGold()).toBe(false);
    await t.server.engine.run('DELETE FROM "users" WHERE "id" = ?', [userId]);
    const refresh = await t.api('POST', '/api/collections/users/auth-refresh', undefined, token);
    expect(refresh.status).toBe(401);
  });
});
