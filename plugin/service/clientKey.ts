import { ipv6CountedNetworks, ipv6NetworkText, type CountedNetwork } from '../../host-sim/spi';
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
  return ipv6NetworkText(parsed.parts, 64);
}

/**
 * What a limit per client counts: the client ({@link clientKey}) first, and for an IPv6 client
 * its /56 and /48 too, with twice and three times the client's limit ({@link ipv6CountedNetworks}).
 */
export function clientNetworks(ip: string): readonly CountedNetwork[] {
  const parsed = ip.includes(':') ? parseClient(ip) : undefined;
  if (parsed !== undefined && 'parts' in parsed) return ipv6CountedNetworks(parsed.parts);
  return [{ key: parsed === undefined ? ip : parsed.toString(), times: 1 }];
}

/** The widest count a limit per client keeps for `ip`: an IPv4 client itself, an IPv6 client's /48. */
export function widestNetwork(ip: string): string {
  const networks = clientNetworks(ip);
  return networks[networks.length - 1].key;
}
