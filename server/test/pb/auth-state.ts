/** Small reads and resets of users' test@example.com used by the confirm-* scenarios (through `server.engine`, on either engine). */
import { IDS, PASSWORD, SYSTEM_ROWS, type AuthFixture } from './auth-fixture.ts';

export const USER = '4q1xlclmfloku33';

export const linkCount = async (f: AuthFixture, recordId = USER): Promise<number> =>
  (await f.server.engine.get<{ n: number }>('SELECT count(*) AS n FROM "_externalAuths" WHERE "recordRef" = ?', [recordId]))!.n;

export const userRow = async (f: AuthFixture, id = USER) =>
  (await f.server.engine.get<{ email: string; verified: number; password: string }>('SELECT "email", "verified", "password" FROM "users" WHERE "id" = ?', [id]))!;

/** Superuser PATCH of users' test@example.com (email, verified, password …); throws unless 200. */
export async function patchUser(f: AuthFixture, body: Record<string, unknown>, id = USER): Promise<void> {
  const res = await f.api('PATCH', `/api/collections/users/records/${id}`, body, f.adminToken);
  if (res.status !== 200) throw new Error(`patch user: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Puts the fixture's state of the user back: email, unverified, the fixture password, its two links. */
export async function restoreUser(f: AuthFixture): Promise<void> {
  await patchUser(f, { email: 'test@example.com', verified: false, password: PASSWORD, passwordConfirm: PASSWORD });
  const engine = f.server.engine;
  const insert = engine.dialect.insertIgnore('_externalAuths', ['id', 'collectionRef', 'recordRef', 'provider', 'providerId', 'created', 'updated']);
  for (const row of SYSTEM_ROWS._externalAuths.filter((r) => r.recordRef === USER)) {
    await engine.run(
      insert,
      [row.id, IDS.users, USER, row.provider, row.providerId, '2022-01-01 01:01:01.123Z', '2022-01-01 01:01:01.123Z'],
    );
  }
}

/** Signs in with a password; the status only (MFA on users answers 401 with an mfaId after a right password). */
export async function passwordWorks(f: AuthFixture, collection: string, email: string, password: string): Promise<boolean> {
  const res = await f.api('POST', `/api/collections/${collection}/auth-with-password`, { identity: email, password });
  return res.status === 200 || (res.status === 401 && typeof res.body?.mfaId === 'string');
}
