import { parseClient } from '../restrictions';

/**
 * The client a request counts as: an IPv4 address as it is (also when written IPv4-mapped,
 * `::ffff:a.b.c.d`), an IPv6 address as its /64 (`2001:db8:1:2::/64`): one subscriber line or
 * host is handed a whole /64, so counting each address would give it 2^64 fresh counters. Anything
 * else (the host's client IP is always an address, but a test or proxy may say otherwise) as its
 * text. Read as the IP allowlists read a client (`parseClient`), so both see the same client. The
 * failure throttle, the `token used` sampler and the mail about tokens issued through a token
 * count by it.
 */
export function clientKey(ip: string): string {
  if (!ip.includes(':')) return ip;
  const parsed = parseClient(ip);
  if (parsed === undefined) return ip;
  if (!('parts' in parsed)) return parsed.toString();
  return `${parsed.parts.slice(0, 4).map((p) => p.toString(16)).join(':')}::/64`;
}
