/** The OAuth2 user: fetching provider JSON (bounded in time and size) and mapping OIDC claims. */
import { badRequest } from '../../shared/errors.ts';

/** What a provider tells about its user, in PocketBase's `meta` shape (plus `emailVerified`). */
export interface ProviderUser {
  id: string;
  name: string;
  username: string;
  email: string;
  /** Only a provider-verified address may link to an existing account. */
  emailVerified: boolean;
  avatarURL: string;
  rawUser: Record<string, unknown>;
}

export interface OAuth2User extends ProviderUser {
  accessToken: string;
  refreshToken: string;
  /** Access token expiry, record date format, or "". */
  expiry: string;
}

/** A provider that does not answer in this time is treated as failed. */
const FETCH_TIMEOUT_MS = 15_000;
/** User documents are a few KB; anything far larger is not one. */
const MAX_USER_INFO_BYTES = 1024 * 1024;

export async function fetchJson(url: string, headers: Record<string, string>, allowArray = false): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    const res = await fetch(url, { headers: { Accept: 'application/json', ...headers }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    const text = await res.text();
    if (!res.ok || text.length > MAX_USER_INFO_BYTES) throw new Error(`status ${res.status}`);
    body = JSON.parse(text);
  } catch {
    throw badRequest('Failed to fetch OAuth2 user.');
  }
  const ok = typeof body === 'object' && body !== null && (allowArray || !Array.isArray(body));
  if (!ok) throw badRequest('Failed to fetch OAuth2 user.');
  return body as Record<string, unknown>;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** Standard OpenID Connect claims → user. `email_verified` may be a boolean or "true" (Apple). */
export function userFromClaims(claims: Record<string, unknown>): ProviderUser {
  const id = str(claims.sub);
  if (!id) throw badRequest('Failed to fetch OAuth2 user.');
  return {
    rawUser: claims,
    id,
    name: str(claims.name),
    username: str(claims.preferred_username) || str(claims.nickname),
    email: str(claims.email),
    emailVerified: claims.email_verified === true || claims.email_verified === 'true',
    avatarURL: str(claims.picture),
  };
}
