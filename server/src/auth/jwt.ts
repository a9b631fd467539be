/**
 * Minimal HS256 JSON Web Tokens: exactly what auth tokens need and nothing else (no `alg`
 * negotiation, no `kid`, no other algorithms). The HMAC is node:crypto's (native OpenSSL, on the
 * verify hot path); base64url and the constant-time compare come from @oslojs. Verification
 * never throws: any malformed, tampered, foreign-algorithm or expired token yields null.
 */
import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';

export type JwtPayload = Record<string, unknown>;

/** Real tokens are ~250 characters; anything far larger is refused before any work is done. */
export const MAX_JWT_LENGTH = 4096;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const HEADER = encodeBase64urlNoPadding(encoder.encode(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));
const SEGMENT = /^[A-Za-z0-9_-]+$/;

const toBytes = (key: string | Uint8Array): Uint8Array => (typeof key === 'string' ? encoder.encode(key) : key);

function signature(signingInput: string, key: string | Uint8Array): string {
  const mac = createHmac('sha256', toBytes(key)).update(signingInput).digest();
  return encodeBase64urlNoPadding(new Uint8Array(mac.buffer, mac.byteOffset, mac.byteLength));
}

function decodeSegment(segment: string): unknown {
  if (!SEGMENT.test(segment)) return undefined;
  try {
    return JSON.parse(decoder.decode(decodeBase64urlIgnorePadding(segment)));
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function splitToken(token: unknown): [string, string, string] | null {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_JWT_LENGTH) return null;
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => p === '')) return null;
  return parts as [string, string, string];
}

/** Signs `payload` (which should carry `exp`, in seconds) with HMAC-SHA256. */
export function signJwt(payload: JwtPayload, key: string | Uint8Array): string {
  const body = encodeBase64urlNoPadding(encoder.encode(JSON.stringify(payload)));
  const input = `${HEADER}.${body}`;
  return `${input}.${signature(input, key)}`;
}

/**
 * Reads the payload WITHOUT checking the signature: only to find which key to verify with.
 * Never trust its contents.
 */
export function decodeJwtUnverified(token: unknown): JwtPayload | null {
  const parts = splitToken(token);
  if (!parts) return null;
  const payload = decodeSegment(parts[1]);
  return isObject(payload) ? payload : null;
}

/**
 * Verifies header (`alg` must be HS256), signature (constant time, canonical encoding only),
 * `exp` (required, seconds) and `nbf` (if present). Returns the payload or null.
 */
export function verifyJwt(token: unknown, key: string | Uint8Array, nowSeconds = Date.now() / 1000): JwtPayload | null {
  const parts = splitToken(token);
  if (!parts) return null;
  const [head, body, sig] = parts;
  const header = decodeSegment(head);
  if (!isObject(header) || header.alg !== 'HS256') return null;
  if (header.typ !== undefined && header.typ !== 'JWT') return null;
  // Extensions we do not understand must make the token invalid (RFC 7515 §4.1.11).
  if (header.crit !== undefined) return null;
  const expected = signature(`${head}.${body}`, key);
  if (!constantTimeEqual(encoder.encode(expected), encoder.encode(sig))) return null;
  const payload = decodeSegment(body);
  if (!isObject(payload)) return null;
  const { exp, nbf } = payload;
  if (typeof exp !== 'number' || !Number.isFinite(exp) || nowSeconds >= exp) return null;
  if (nbf !== undefined && (typeof nbf !== 'number' || nowSeconds < nbf)) return null;
  return payload;
}
