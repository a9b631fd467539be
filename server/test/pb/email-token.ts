/**
 * Mailed-link tokens for the confirm-* scenarios, issued by Hearth's own token code on the
 * fixture's database (PocketBase's scenarios carry pre-signed tokens of its fixture). A token
 * issued with a clock in the past is expired; one issued for a type stands in for "wrong type".
 */
import { getAuthRecord } from '../../src/auth/auth-records.ts';
import { createEmailTokens, type EmailTokenType } from '../../src/auth/email-tokens.ts';
import type { AuthFixture } from './auth-fixture.ts';

const TEN_DAYS_MS = 10 * 86_400_000;

export async function issueEmailToken(
  f: AuthFixture,
  collectionName: string,
  recordId: string,
  type: EmailTokenType,
  opts: { newEmail?: string; expired?: boolean } = {},
): Promise<string> {
  const collection = f.server.registry.get(collectionName);
  const record = await getAuthRecord(f.server.engine, collection, recordId);
  if (!record) throw new Error(`no ${collectionName} record ${recordId}`);
  const clock = opts.expired ? () => Date.now() - TEN_DAYS_MS : Date.now;
  const tokens = createEmailTokens({ db: f.server.engine, registry: f.server.registry, clock });
  return tokens.issue(collection, record, type, opts.newEmail ? { newEmail: opts.newEmail } : {});
}
