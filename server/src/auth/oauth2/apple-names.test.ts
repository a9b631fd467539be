import { describe, expect, it } from 'vitest';
import { APPLE_NAME_TTL_MS, createAppleNames, MAX_APPLE_NAMES } from './apple-names.ts';

const user = (firstName: string, lastName: string) => JSON.stringify({ name: { firstName, lastName } });

describe('Apple redirect names', () => {
  it('keeps the name for its code once, clipped to 150 characters (PocketBase bounds)', () => {
    const names = createAppleNames();
    names.remember('a'.repeat(985), user('aaa', 'b'.repeat(200)));
    expect(names.take('a'.repeat(985))).toBe(`aaa ${'b'.repeat(146)}`);
    expect(names.take('a'.repeat(985))).toBeUndefined();
  });

  it('keeps nothing for a code whose key would pass 1000 characters, or for an empty or invalid name', () => {
    const names = createAppleNames();
    names.remember('a'.repeat(986), user('aaa', 'bbb'));
    names.remember('c1', user(' ', ''));
    names.remember('c2', '{not json');
    expect([names.take('a'.repeat(986)), names.take('c1'), names.take('c2')]).toEqual([undefined, undefined, undefined]);
  });

  it('forgets a name after a minute, and the oldest names past the cap', () => {
    let now = 0;
    const names = createAppleNames(() => now);
    names.remember('old', user('Old', 'Name'));
    now += APPLE_NAME_TTL_MS;
    expect(names.take('old')).toBeUndefined();
    for (let i = 0; i <= MAX_APPLE_NAMES; i++) names.remember(`c${i}`, user('N', String(i)));
    expect(names.take('c0')).toBeUndefined();
    expect(names.take(`c${MAX_APPLE_NAMES}`)).toBe(`N ${MAX_APPLE_NAMES}`);
  });
});
