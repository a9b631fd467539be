/**
 * Password hashing. Why scrypt: it is memory-hard, listed by OWASP's Password Storage Cheat
 * Sheet, and ships in node:crypto — no native addon to compile (argon2 would need one), so
 * `npm ci` stays clean on every platform. Hashes are self-describing
 * (`scrypt$N$r$p$salt$hash`, salt and hash base64 without padding) so parameters can be raised
 * later: `needsRehash` tells the login path to upgrade a hash after a successful verify.
 */
import { randomBytes, scrypt } from 'node:crypto';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeBase64IgnorePadding, encodeBase64NoPadding } from '@oslojs/encoding';

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelisation. */
  p: number;
}

/** OWASP's current scrypt minimum: N=2^17, r=8, p=1 (128 MiB and ~100–200 ms per hash). */
export const SCRYPT_DEFAULTS: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });

/** SPEC §7: callers' validation rejects shorter passwords. */
export const MIN_PASSWORD_LENGTH = 8;
/** Bounds the work an attacker can ask of the key derivation; also PocketBase's form limit. */
export const MAX_PASSWORD_LENGTH = 255;

const KEY_LENGTH = 64;
const SALT_LENGTH = 16;
const PREFIX = 'scrypt';
/**
 * Each running hash holds 128·N·r bytes (128 MiB at the defaults). Two at a time bounds the
 * memory spike and leaves libuv's other pool threads free for file I/O; extra calls queue.
 */
const MAX_CONCURRENT_HASHES = 2;
/** Refuse stored hashes whose parameters would cost more than this (a tampered row is a DoS). */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

let running = 0;
const waiting: Array<() => void> = [];

async function withHashSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) {
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running++;
  }
  try {
    return await fn();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

function derive(password: string, salt: Uint8Array, params: ScryptParams): Promise<Uint8Array> {
  // maxmem must exceed 128·N·r; twice that leaves headroom for Node's own accounting.
  const maxmem = 2 * 128 * params.N * params.r;
  return withHashSlot(
    () =>
      new Promise((resolve, reject) => {
        scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N: params.N, r: params.r, p: params.p, maxmem }, (err, key) =>
          err ? reject(err) : resolve(new Uint8Array(key.buffer, key.byteOffset, key.byteLength)),
        );
      }),
  );
}

const isPowerOfTwo = (n: number): boolean => Number.isInteger(n) && n > 1 && (n & (n - 1)) === 0;

function validParams(p: ScryptParams): boolean {
  return (
    isPowerOfTwo(p.N) && p.N <= MAX_N &&
    Number.isInteger(p.r) && p.r >= 1 && p.r <= MAX_R &&
    Number.isInteger(p.p) && p.p >= 1 && p.p <= MAX_P
  );
}

interface ParsedHash {
  params: ScryptParams;
  salt: Uint8Array;
  hash: Uint8Array;
}

function parseHash(encoded: string): ParsedHash | null {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return null;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  if (![n, r, p].every((s) => /^[0-9]{1,8}$/.test(s))) return null;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (!validParams(params)) return null;
  try {
    const parsed = { params, salt: decodeBase64IgnorePadding(salt), hash: decodeBase64IgnorePadding(hash) };
    return parsed.salt.length > 0 && parsed.hash.length > 0 ? parsed : null;
  } catch {
    return null;
  }
}

/** True for a well-formed hash this module can verify (e.g. false for OAuth2-only accounts' empty value). */
export const isPasswordHash = (encoded: unknown): encoded is string =>
  typeof encoded === 'string' && parseHash(encoded) !== null;

/** Hashes a password with fresh random salt. Tests may pass cheaper params. */
export async function hashPassword(password: string, params: ScryptParams = SCRYPT_DEFAULTS): Promise<string> {
  if (!validParams(params)) throw new Error('invalid scrypt parameters');
  const salt = new Uint8Array(randomBytes(SALT_LENGTH));
  const hash = await derive(password, salt, params);
  return [PREFIX, params.N, params.r, params.p, encodeBase64NoPadding(salt), encodeBase64NoPadding(hash)].join('$');
}

/** Constant-time check of a password against a stored hash. Malformed hashes never match. */
export async function verifyPassword(password: string, encoded: unknown): Promise<boolean> {
  if (typeof encoded !== 'string' || typeof password !== 'string') return false;
  const parsed = parseHash(encoded);
  if (!parsed) return false;
  const actual = await derive(password, parsed.salt, parsed.params);
  return parsed.hash.length === KEY_LENGTH && constantTimeEqual(actual, parsed.hash);
}

/** True when the stored hash is not in the current format or uses other parameters. */
export function needsRehash(encoded: unknown, params: ScryptParams = SCRYPT_DEFAULTS): boolean {
  if (typeof encoded !== 'string') return true;
  const parsed = parseHash(encoded);
  if (!parsed) return true;
  const p = parsed.params;
  return p.N !== params.N || p.r !== params.r || p.p !== params.p || parsed.salt.length !== SALT_LENGTH;
}
