import { ipv6NetworkText } from '../../host-sim/spi';
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

/** One count a client's requests go to, and its limit as a multiple of a client's. */
export interface ClientNetwork {
  readonly key: string;
  readonly times: number;
}

/**
 * The wider IPv6 networks a client is counted in besides its /64, with their limits as multiples
 * of a client's: a subscriber or site is handed a /56 or a /48 (256 to 65,536 /64s; a /48 is
 * free from tunnel brokers), so limits per /64 alone multiplied by as much what one holder may do.
 */
const IPV6_NETWORKS: ReadonlyArray<{ readonly bits: number; readonly times: number }> = [{ bits: 56, times: 2 }, { bits: 48, times: 3 }];


/**
 * What a limit per client counts: the client ({@link clientKey}) first, and for an IPv6 client
 * its /56 and /48 too, with twice and three times the client's limit.
 */
export function clientNetworks(ip: string): readonly ClientNetwork[] {
  const parsed = ip.includes(':') ? parseClient(ip) : undefined;
  const client = { key: clientKey(ip), times: 1 };
  if (parsed === undefined || !('parts' in parsed)) return [client];
  return [client, ...IPV6_NETWORKS.map((n) => ({ key: ipv6NetworkText(parsed.parts, n.bits), times: n.times }))];
}
