import { describe, expect, it } from 'vitest';
import { normalizeIp, resolveClientIp } from './client-ip.ts';

describe('resolveClientIp', () => {
  it.each([
    ['no proxies configured: the socket, header ignored', '10.0.0.1', '1.2.3.4', [], '10.0.0.1'],
    ['untrusted socket: header ignored', '10.0.0.1', '1.2.3.4', ['127.0.0.1'], '10.0.0.1'],
    ['trusted socket: the right-most untrusted hop', '127.0.0.1', '6.6.6.6, 1.2.3.4', ['127.0.0.1'], '1.2.3.4'],
    ['trusted chain is skipped', '127.0.0.1', '6.6.6.6, 1.2.3.4, 10.0.0.2', ['127.0.0.1', '10.0.0.2'], '1.2.3.4'],
    ['a forged left-most entry is never used', '127.0.0.1', '9.9.9.9, 1.2.3.4', ['127.0.0.1'], '1.2.3.4'],
    ['IPv4-mapped socket address', '::ffff:127.0.0.1', '1.2.3.4', ['127.0.0.1'], '1.2.3.4'],
    ['garbage hop: believe nothing past the proxy', '127.0.0.1', '1.2.3.4, not-an-ip', ['127.0.0.1'], '127.0.0.1'],
    ['all hops trusted: the socket', '127.0.0.1', '127.0.0.1', ['127.0.0.1'], '127.0.0.1'],
    ['missing header', '127.0.0.1', undefined, ['127.0.0.1'], '127.0.0.1'],
    ['missing socket', undefined, '1.2.3.4', ['127.0.0.1'], 'unknown'],
    ['IPv6 hop', '127.0.0.1', '2001:db8::1', ['127.0.0.1'], '2001:db8::1'],
  ] as const)('%s', (_name, socket, header, trusted, expected) => {
    expect(resolveClientIp(socket, header, trusted)).toBe(expected);
  });

  it('normalizes addresses', () => {
    expect(normalizeIp(' [2001:DB8::1] ')).toBe('2001:db8::1');
    expect(normalizeIp('fe80::1%eth0')).toBe('fe80::1');
    expect(normalizeIp('::ffff:10.1.2.3')).toBe('10.1.2.3');
  });
});
