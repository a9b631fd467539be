import { describe, expect, it } from 'vitest';
import { hashPassword, isPasswordHash, needsRehash, SCRYPT_DEFAULTS, verifyPassword } from './password.ts';
import { FAST_SCRYPT } from './test-fixtures.ts';

describe('password hashing', () => {
  it('round-trips and rejects a wrong password', async () => {
    const hash = await hashPassword('correct horse', FAST_SCRYPT);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsE', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same', FAST_SCRYPT), hashPassword('same', FAST_SCRYPT)]);
    expect(a).not.toBe(b);
  });

  it('never matches malformed or tampered hashes', async () => {
    const hash = await hashPassword('secret12', FAST_SCRYPT);
    const parts = hash.split('$');
    const otherHash = (await hashPassword('other123', FAST_SCRYPT)).split('$')[5];
    const tampered = [...parts.slice(0, 5), otherHash].join('$');
    for (const bad of ['', 'secret12', 'scrypt$', tampered, hash.replace('$1024$', '$1000$'), hash.replace('$1024$', '$1073741824$'), null, 42]) {
      expect(await verifyPassword('secret12', bad)).toBe(false);
    }
    expect(isPasswordHash(hash)).toBe(true);
    expect(isPasswordHash('')).toBe(false);
  });

  it('flags hashes made with other parameters for rehashing', async () => {
    const hash = await hashPassword('secret12', FAST_SCRYPT);
    expect(needsRehash(hash, FAST_SCRYPT)).toBe(false);
    expect(needsRehash(hash)).toBe(true);
    expect(needsRehash('$2a$10$bcrypthashfromelsewhere')).toBe(true);
  });

  it('uses OWASP parameters by default without blocking the event loop', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const hash = await hashPassword('correct horse battery');
    clearInterval(timer);
    expect(hash.startsWith(`scrypt$${2 ** 17}$8$1$`)).toBe(true);
    expect(SCRYPT_DEFAULTS).toEqual({ N: 131072, r: 8, p: 1 });
    expect(ticks).toBeGreaterThan(0);
    expect(needsRehash(hash)).toBe(false);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
  });

  it('queues concurrent hashes instead of failing', async () => {
    const hashes = await Promise.all(Array.from({ length: 6 }, (_, i) => hashPassword(`pw-${i}-xxxx`, FAST_SCRYPT)));
    const checks = await Promise.all(hashes.map((h, i) => verifyPassword(`pw-${i}-xxxx`, h)));
    expect(checks).toEqual([true, true, true, true, true, true]);
  });
});
