/**
 * Minimal HS256 JWT sign/verify for the baselines: what any hand-written server must do at least
 * to authenticate a request (HMAC-SHA256 over header.payload, constant-time compare, exp check).
 * The harness signs the baselines' tokens with the same code; Hearth issues its own.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface TokenClaims {
  id: string;
  collectionId: string;
  type: 'auth';
  exp: number;
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export function signToken(claims: TokenClaims, secret: string): string {
  const head = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

/** Returns the claims when the signature is valid and the token unexpired, otherwise null. */
export function verifyToken(header: string | undefined, secret: string): TokenClaims | null {
  if (!header) return null;
  const token = header.startsWith('Bearer ') ? header.slice(7) : header;
  const dot = token.lastIndexOf('.');
  if (dot < 0) return null;
  const expected = createHmac('sha256', secret).update(token.slice(0, dot)).digest();
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const payloadStart = token.indexOf('.') + 1;
  let claims: TokenClaims;
  try {
    claims = JSON.parse(Buffer.from(token.slice(payloadStart, dot), 'base64url').toString()) as TokenClaims;
  } catch {
    return null;
  }
  if (claims.type !== 'auth' || typeof claims.id !== 'string' || claims.exp * 1000 < Date.now()) return null;
  return claims;
}
