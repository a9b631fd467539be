/**
 * Apple sends the user's name only once — in the form it posts to `/api/oauth2-redirect` on the
 * first sign-in — and never through its token endpoint. The redirect keeps the name for a minute,
 * keyed by the authorization code, and `auth-with-oauth2` with that code takes it (PocketBase's
 * workaround). Kept in this process, bounded in count, key and name length.
 */

/** Long enough for the code exchange that follows the redirect. */
export const APPLE_NAME_TTL_MS = 60_000;
/** Names waiting at once; past this the oldest is dropped. */
export const MAX_APPLE_NAMES = 10_000;
/** The key is the code plus a short prefix (PocketBase's bound: 1000 characters). */
const KEY_PREFIX = '@redirect_name_';
const MAX_KEY_LENGTH = 1000;
/** Longer names are clipped (PocketBase's bound). */
export const MAX_APPLE_NAME_LENGTH = 150;

export interface AppleNames {
  /** Keeps the name in Apple's `user` form value (`{"name":{"firstName","lastName"}}`) for `code`. */
  remember(code: string, user: string): void;
  /** The name kept for `code` (removed), or undefined. */
  take(code: string): string | undefined;
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

export function createAppleNames(clock: () => number = Date.now): AppleNames {
  const names = new Map<string, { name: string; expires: number }>();
  const prune = (now: number): void => {
    for (const [key, entry] of names) {
      if (entry.expires > now && names.size < MAX_APPLE_NAMES) break;
      names.delete(key);
    }
  };
  return {
    remember(code, user) {
      const key = KEY_PREFIX + code;
      if (!code || !user || key.length > MAX_KEY_LENGTH) return;
      const name = parseName(user);
      if (!name) return;
      const now = clock();
      prune(now);
      names.delete(key);
      names.set(key, { name, expires: now + APPLE_NAME_TTL_MS });
    },
    take(code) {
      const key = KEY_PREFIX + code;
      const entry = names.get(key);
      if (!entry) return undefined;
      names.delete(key);
      return entry.expires > clock() ? entry.name : undefined;
    },
  };
}
