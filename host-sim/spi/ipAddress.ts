import ipaddr from 'ipaddr.js';

/**
 * An IPv6 address as the host reads one, or undefined. The host names each request's client with
 * it and a plugin that compares client addresses (allowlists, per-client counts) reads them with
 * it too, so both see one client.
 *
 * A dotted IPv4 tail is handed to ipaddr.js as two hexadecimal groups: the library reads
 * `::a.b.c.d` — the IPv4-compatible address `::a00:1`, as Node and most proxies write it — as
 * IPv4-mapped `::ffff:a.b.c.d`, the IPv4 client, which then passed an IPv4 allowlist entry and
 * shared that client's counts (attack review 24). An IPv4 tail in any other form than dotted
 * decimal without leading zeros (`::ffff:0xa.0.0.1`, `::ffff:010.0.0.1`) is no address, as such an
 * IPv4 address itself is none.
 */
export function readIpv6Address(text: string): ipaddr.IPv6 | undefined {
  const tail = DOTTED_TAIL.exec(text);
  let hex = text;
  if (tail === null && text.includes('.')) return undefined;
  if (tail !== null) {
    const octets = [tail[2], tail[3], tail[4], tail[5]].map(Number);
    if (octets.some((o) => o > 255)) return undefined;
    hex = `${tail[1]}${((octets[0] << 8) | octets[1]).toString(16)}:${((octets[2] << 8) | octets[3]).toString(16)}`;
  }
  return ipaddr.IPv6.isValid(hex) ? ipaddr.IPv6.parse(hex) : undefined;
}

const DOTTED_TAIL = /^(.*:)(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/**
 * The text of the IPv6 network of `bits` (a multiple of 8, at most 64) that holds the address of
 * these eight groups, such as `2001:db8:1:2::/64` or `2001:db8:1::/48`: how the host and a plugin
 * name the /64, /56 or /48 a client's requests are counted in.
 */
export function ipv6NetworkText(groups: readonly number[], bits: number): string {
  const kept = groups.slice(0, Math.ceil(bits / 16));
  if (bits % 16) kept[kept.length - 1] &= (0xffff << (16 - (bits % 16))) & 0xffff;
  return `${kept.map((group) => group.toString(16)).join(':')}::/${bits}`;
}

/** A network a client's requests are counted in, and its limit as a multiple of one client's. */
export interface CountedNetwork {
  readonly key: string;
  readonly times: number;
}

/**
 * The wider IPv6 networks a client is counted in besides its /64: a subscriber or site is handed a
 * /56 or a /48 (256 to 65,536 /64s; a /48 is free from tunnel brokers), so limits per /64 alone
 * multiplied by as much what one holder may do.
 */
const WIDER_IPV6_NETWORKS: ReadonlyArray<{ readonly bits: number; readonly times: number }> = [{ bits: 56, times: 2 }, { bits: 48, times: 3 }];

/**
 * What a limit per client counts for an IPv6 client (its eight groups): its /64 with the client's
 * limit, its /56 with twice and its /48 with three times that limit — for the host's login-page
 * throttle and a plugin's own counts alike.
 */
export function ipv6CountedNetworks(groups: readonly number[]): readonly CountedNetwork[] {
  return [{ key: ipv6NetworkText(groups, 64), times: 1 }, ...WIDER_IPV6_NETWORKS.map((n) => ({ key: ipv6NetworkText(groups, n.bits), times: n.times }))];
}
