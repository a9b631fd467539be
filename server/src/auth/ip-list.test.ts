import { describe, expect, it } from 'vitest';
import { ipListMatcher, isIpOrSubnet } from './ip-list.ts';

describe('ip lists', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.0.0.0/8', true],
    ['10.0.0.0/32', true],
    ['10.0.0.0/33', false],
    ['::1', true],
    ['2001:db8::/32', true],
    ['2001:db8::/129', false],
    ['10.0.0.0/', false],
    ['10.0.0.0/8/1', false],
    ['localhost', false],
    ['', false],
  ])('%j is an address or subnet: %s', (entry, ok) => {
    expect(isIpOrSubnet(entry)).toBe(ok);
  });

  it('matches addresses and subnets of both families, and nothing when empty', () => {
    const inList = ipListMatcher(['127.0.0.1', '192.168.0.0/16', '2001:db8::/32', 'junk']);
    expect(inList('127.0.0.1')).toBe(true);
    expect(inList('::ffff:127.0.0.1')).toBe(true);
    expect(inList('192.168.44.2')).toBe(true);
    expect(inList('192.169.0.1')).toBe(false);
    expect(inList('2001:db8::5')).toBe(true);
    expect(inList('2001:db9::5')).toBe(false);
    expect(inList('unknown')).toBe(false);
    expect(ipListMatcher([])('127.0.0.1')).toBe(false);
  });
});
