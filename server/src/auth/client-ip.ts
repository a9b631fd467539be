/**
 * Which address a request comes from, for rate limits and the session list. The socket address
 * is the truth; `X-Forwarded-For` is believed only when the socket belongs to a configured
 * trusted proxy (config `trustedProxies`, exact addresses; empty by default — not even loopback,
 * because anyone on the same host could otherwise pick their own rate-limit key). The list is
 * read right to left, skipping trusted hops: the first untrusted address is the client. The
 * left-most entries are whatever the client wrote and are never used.
 */
import { isIP } from 'node:net';

/** `::ffff:127.0.0.1` (IPv4 on a dual-stack socket) → `127.0.0.1`; lower-cased, no zone. */
export function normalizeIp(raw: string): string {
  let ip = raw.trim().toLowerCase();
  if (ip.startsWith('[') && ip.includes(']')) ip = ip.slice(1, ip.indexOf(']'));
  const zone = ip.indexOf('%');
  if (zone >= 0) ip = ip.slice(0, zone);
  if (ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4) ip = ip.slice(7);
  return ip;
}

/** A forwarded list longer than this is refused (treated as if absent). */
const MAX_FORWARDED_HOPS = 32;

/** `socketAddress` is the socket's own address: undefined or `unknown` when the socket has none (closed). */
export function resolveClientIp(
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
  trustedProxies: readonly string[],
): string {
  const socket = socketAddress && socketAddress !== 'unknown' ? normalizeIp(socketAddress) : '';
  if (!socket) return 'unknown';
  if (trustedProxies.length === 0 || !forwardedFor) return socket;
  const trusted = new Set(trustedProxies.map(normalizeIp));
  if (!trusted.has(socket)) return socket;
  const hops = forwardedFor.split(',').map(normalizeIp);
  if (hops.length > MAX_FORWARDED_HOPS) return socket;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (isIP(hop) === 0) return socket; // a malformed hop: believe nothing beyond the proxy
    if (!trusted.has(hop)) return hop;
  }
  return socket;
}
