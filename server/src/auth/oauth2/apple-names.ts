/**
 * Apple sends the user's name only once — in the form it posts to `/api/oauth2-redirect` on the
 * first sign-in — and never through its token endpoint. The redirect keeps the name for a minute,
 * keyed by the authorization code, and `auth-with-oauth2` with that code takes it (PocketBase's
 * workaround). The name is kept in the database (`_params`, key `@redirect_name_<code>`), not in
 * the process: the redirect and the code exchange are two requests that a load balancer or
 * `--workers` may send to different processes. Bounded in count, key and name length.
 */
import { formatDate } from '../../shared/clock.ts';
import type { SqlEngine } from '../../db/index.ts';

/** Long enough for the code exchange that follows the redirect. */
export const APPLE_NAME_TTL_MS = 60_000;
/** Names waiting at once; past this the oldest are dropped. */
export const MAX_APPLE_NAMES = 10_000;
/** The key is the code plus a short prefix (PocketBase's bound: 1000 characters). */
const KEY_PREFIX = '@redirect_name_';
const MAX_KEY_LENGTH = 1000;
/** Longer names are clipped (PocketBase's bound). */
export const MAX_APPLE_NAME_LENGTH = 150;

/** The prefix as a LIKE pattern (`_` is a wildcard there). */
const KEYS_LIKE = `"key" LIKE '${KEY_PREFIX.replaceAll('_', '\\_')}%' ESCAPE '\\'`;
/** `updated` holds the entry's expiry, so the oldest entries sort first and expired ones compare below now. */
const PRUNE_EXPIRED = `DELETE FROM "_params" WHERE ${KEYS_LIKE} AND "updated" <= ?`;
const COUNT = `SELECT COUNT(*) AS "n" FROM "_params" WHERE ${KEYS_LIKE}`;
const DROP_OLDEST = `DELETE FROM "_params" WHERE "key" IN (SELECT "key" FROM "_params" WHERE ${KEYS_LIKE} ORDER BY "updated", "key" LIMIT ?)`;
const UPSERT =
  'INSERT INTO "_params" ("key", "value", "updated") VALUES (?, ?, ?) ON CONFLICT("key") DO UPDATE SET "value" = excluded."value", "updated" = excluded."updated"';
const TAKE = 'DELETE FROM "_params" WHERE "key" = ? RETURNING "value", "updated"';

export interface AppleNames {
  /** Keeps the name in Apple's `user` form value (`{"name":{"firstName","lastName"}}`) for `code`. */
  remember(code: string, user: string): Promise<void>;
  /** The name kept for `code` (removed), or undefined. */
  take(code: string): Promise<string | undefined>;
}

function parseName(user: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(user);
  } catch {
    return '';
  }
  const name = (parsed as { name?: { firstName?: unknown; lastName?: unknown } } | null)?.name;
  const part = (v: unknown): string => (typeof v === 'string' ? v : '');
  return `${part(name?.firstName)} ${part(name?.lastName)}`.slice(0, MAX_APPLE_NAME_LENGTH).trim();
}

export function createAppleNames(engine: SqlEngine, clock: () => number = Date.now): AppleNames {
  const stamp = (ms: number): string => formatDate(new Date(ms));
  return {
    async remember(code, user) {
      const key = KEY_PREFIX + code;
      if (!code || !user || key.length > MAX_KEY_LENGTH) return;
      const name = parseName(user);
      if (!name) return;
      const now = clock();
      await engine.transaction(async (tx) => {
        await tx.run(PRUNE_EXPIRED, [stamp(now)]);
        await tx.run('DELETE FROM "_params" WHERE "key" = ?', [key]);
        const waiting = Number((await tx.get<{ n: number }>(COUNT))?.n ?? 0);
        if (waiting >= MAX_APPLE_NAMES) await tx.run(DROP_OLDEST, [waiting - MAX_APPLE_NAMES + 1]);
        await tx.run(UPSERT, [key, name, stamp(now + APPLE_NAME_TTL_MS)]);
      });
    },
    async take(code) {
      const key = KEY_PREFIX + code;
      if (!code || key.length > MAX_KEY_LENGTH) return undefined;
      const [row] = await engine.all<{ value: string; updated: string }>(TAKE, [key]);
      return row && row.updated > stamp(clock()) ? row.value : undefined;
    },
  };
}
