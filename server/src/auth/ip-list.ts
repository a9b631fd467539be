/**
 * Lists of addresses and CIDR subnets (`10.0.0.1`, `192.168.0.0/16`, `2001:db8::/32`), as the
 * settings hold them (`superuserIPs`, `rateLimits.excludedIPs`): checking an entry's syntax and
 * asking whether a client address is in the list.
 */
import { BlockList, isIP } from 'node:net';
import { normalizeIp } from './client-ip.ts';

const familyOf = (ip: string): 'ipv4' | 'ipv6' => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');

/** True for one address or a subnet whose prefix length fits its family. */
export function isIpOrSubnet(entry: string): boolean {
  const [addr = '', bits, extra] = entry.split('/');
  const version = isIP(addr);
  if (version === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (version === 6 ? 128 : 32);
}

/** A matcher over `entries` (malformed ones are skipped); an empty list matches nothing. */
export function ipListMatcher(entries: readonly string[]): (ip: string) => boolean {
  const list = new BlockList();
  let size = 0;
  for (const entry of entries) {
    if (!isIpOrSubnet(entry)) continue;
    const [addr, bits] = entry.split('/') as [string, string | undefined];
    if (bits === undefined) list.addAddress(normalizeIp(addr), familyOf(addr));
    else list.addSubnet(normalizeIp(addr), Number(bits), familyOf(addr));
    size += 1;
  }
  if (size === 0) return () => false;
  return (ip) => {
    const normal = normalizeIp(ip);
    return isIP(normal) !== 0 && list.check(normal, familyOf(normal));
  };
}
