/** Reads a JWT's payload without verifying it (the server verifies; the client only needs `exp`). */

function base64UrlDecode(part: string): string {
  const base64 = part.replaceAll('-', '+').replaceAll('_', '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The payload object, or null when the token is not a readable JWT. */
export function decodeTokenPayload(token: string): Record<string, unknown> | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const payload: unknown = JSON.parse(base64UrlDecode(part));
    return payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Expiry in ms since the epoch, or null when the token carries none. */
export function tokenExpiry(token: string): number | null {
  const exp = decodeTokenPayload(token)?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null;
}

/** True when the token is a JWT that has not expired (a token without `exp` counts as valid). */
export function isTokenValid(token: string, now = Date.now()): boolean {
  if (!token || decodeTokenPayload(token) === null) return false;
  const exp = tokenExpiry(token);
  return exp === null || exp > now;
}
