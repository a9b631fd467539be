import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import { createHmac } from 'node:crypto';
import { decodeJwtUnverified, signJwt, verifyJwt } from './jwt.ts';

const KEY = 'secret-key-for-tests';
const NOW = 1_700_000_000;
const b64 = (v: unknown): string => encodeBase64urlNoPadding(new TextEncoder().encode(JSON.stringify(v)));
const hs256 = (input: string, key: string): string => encodeBase64urlNoPadding(createHmac('sha256', key).update(input).digest());
const craft = (header: unknown, payload: unknown, key = KEY): string => {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${hs256(input, key)}`;
};

describe('jwt', () => {
  const payload = { id: 'abc', exp: NOW + 60 };
  const token = signJwt(payload, KEY);

  it('signs and verifies', () => {
    expect(token.split('.')).toHaveLength(3);
    expect(verifyJwt(token, KEY, NOW)).toEqual(payload);
    expect(decodeJwtUnverified(token)).toEqual(payload);
    // Same bytes as an independent HS256 implementation.
    expect(token).toBe(craft({ alg: 'HS256', typ: 'JWT' }, payload));
  });

  it('rejects a tampered payload, signature or key', () => {
    const [h, , s] = token.split('.');
    expect(verifyJwt(`${h}.${b64({ id: 'admin', exp: NOW + 60 })}.${s}`, KEY, NOW)).toBeNull();
    const flipped = s!.slice(0, -2) + (s!.at(-2) === 'A' ? 'B' : 'A') + s!.at(-1);
    expect(verifyJwt(`${h}.${token.split('.')[1]}.${flipped}`, KEY, NOW)).toBeNull();
    expect(verifyJwt(token, KEY + 'x', NOW)).toBeNull();
  });

  it('rejects alg none and any other algorithm', () => {
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
    expect(verifyJwt(none, KEY, NOW)).toBeNull();
    expect(verifyJwt(`${b64({ alg: 'none' })}.${b64(payload)}.${token.split('.')[2]}`, KEY, NOW)).toBeNull();
    expect(verifyJwt(craft({ alg: 'HS512', typ: 'JWT' }, payload), KEY, NOW)).toBeNull();
    expect(verifyJwt(craft({ alg: 'HS256', typ: 'JWT', crit: ['x'] }, payload), KEY, NOW)).toBeNull();
    expect(verifyJwt(craft({ alg: 'HS256', typ: 'JWT' }, payload), KEY, NOW)).toEqual(payload);
  });

  it('enforces exp (required) and nbf', () => {
    expect(verifyJwt(token, KEY, NOW + 60)).toBeNull();
    expect(verifyJwt(token, KEY, NOW + 59.9)).toEqual(payload);
    expect(verifyJwt(craft({ alg: 'HS256' }, { id: 'x' }), KEY, NOW)).toBeNull();
    expect(verifyJwt(craft({ alg: 'HS256' }, { id: 'x', exp: String(NOW + 60) }), KEY, NOW)).toBeNull();
    expect(verifyJwt(craft({ alg: 'HS256' }, { exp: NOW + 60, nbf: NOW + 10 }), KEY, NOW)).toBeNull();
  });

  it('returns null for garbage and never throws', () => {
    const [h, p, s] = token.split('.');
    for (const bad of ['', '.', '..', 'a.b', 'a.b.c', 'a.b.c.d', `${h}.${p}.${s}=`, `${h}=.${p}.${s}`, `${h}.${p}`, `${h}.!!.${s}`,
      `${b64([1, 2])}.${p}.${s}`, 'x'.repeat(10_000), null, undefined, 42, {}, craft({ alg: 'HS256' }, [1])]) {
      expect(verifyJwt(bad, KEY, NOW)).toBeNull();
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s2) => {
        expect(verifyJwt(s2, KEY, NOW)).toBeNull();
        decodeJwtUnverified(s2);
      }),
    );
  });
});
