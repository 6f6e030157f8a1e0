// First step of every request: a request id (Jira's X-AREQUESTID) and the client IP.
import type { RequestHandler } from 'express';
import ipaddr from 'ipaddr.js';
import { ConfigError } from '../config';
import { readIpv6Address } from '../spi/ipAddress';

/** The client IP of a request whose X-Forwarded-For names its client in a form that is not an address. */
export const UNKNOWN_CLIENT_IP = 'unknown';

/** `::ffff:127.0.0.1` → `127.0.0.1`. */
export function normaliseIp(ip: string | undefined): string {
  if (!ip) return '';
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

/**
 * An address as one canonical text — IPv4 in dotted-quad decimal, IPv6 in its RFC 5952 form,
 * IPv4-mapped IPv6 as IPv4 — or null. Only those two forms are addresses here: `010.0.0.1`
 * (octal to some parsers), `0xa.0.0.1`, `167772161`, `10.1` or a zoned `2001:db8::1%eth0` are not, so one client cannot
 * appear under several names to the allowlists, the throttle, the audit log and new-IP alerts.
 */
export function canonicalIp(text: string): string | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text).toString();
  // A zone id (`fe80::1%eth0`) names an interface of the machine that wrote it: no address of a remote client.
  const v6 = !text.includes(':') || text.includes('%') ? undefined : readIpv6Address(text);
  if (v6 === undefined) return null;
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address().toString() : v6.toString();
}

/** The peers whose X-Forwarded-For is believed (system property `hostsim.trusted.proxies`). */
export interface TrustedProxies {
  /** True for an address (in canonical form, see {@link canonicalIp}) of a listed proxy. */
  has(ip: string): boolean;
}

/** The trusted proxies as configured. */
export interface TrustedProxyList extends TrustedProxies {
  /**
   * The list in one spelling for every spelling of it: addresses canonical, ranges as their
   * network (`10.1.2.3/8` is `10.0.0.0/8`, `10.0.0.5/32` is `10.0.0.5`), sorted; empty for none.
   */
  readonly canonical: string;
}

const TRUSTED_PROXIES = 'hostsim.trusted.proxies';

/**
 * Reads `hostsim.trusted.proxies`: comma-separated addresses or CIDR ranges, in any spelling
 * {@link canonicalIp} reads (`::ffff:10.0.0.5` is 10.0.0.5). Anything else stops the start: an
 * entry the host cannot compare with a peer would never be trusted, and every client behind
 * that proxy would silently take the proxy's address — and pass an allowlist of its network.
 * A range of every address (`0.0.0.0/0`, `::/0`), ranges that together hold every address, and a
 * range wider than a /8 of IPv4 or a /24 of IPv6 (fc00::/7 aside) stop it too.
 */
export function trustedProxiesOf(raw: string): TrustedProxyList {
  const exact = new Set<string>();
  const ranges: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> = [];
  for (const entry of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const slash = entry.indexOf('/');
    const address = canonicalIp(slash < 0 ? entry : entry.slice(0, slash));
    const bitsText = slash < 0 ? null : entry.slice(slash + 1);
    if (address === null || (bitsText !== null && !/^\d{1,3}$/.test(bitsText))) {
      throw new ConfigError(TRUSTED_PROXIES, raw, `"${entry}" is not an IP address or CIDR range`, 'list the balancer\'s addresses or ranges, e.g. 10.0.0.5 or 10.0.0.0/24');
    }
    const net = ipaddr.parse(address);
    // `::10.0.0.5` is the IPv6 address ::a00:5, which the address library once read as 10.0.0.5:
    // a list that meant the IPv4 proxy would now trust no proxy, and its clients take its address.
    if (net instanceof ipaddr.IPv6 && entry.includes('.') && net.parts.slice(0, 6).every((part) => part === 0)) {
      throw new ConfigError(TRUSTED_PROXIES, raw, `"${entry}" is an IPv4-compatible IPv6 address (::a.b.c.d), no IPv4 proxy`,
        'write an IPv4 proxy as 10.0.0.5 (or ::ffff:10.0.0.5), an IPv6 one in hexadecimal groups');
    }
    const max = net.kind() === 'ipv4' ? 32 : 128;
    // An IPv4-mapped range (`::ffff:10.0.0.0/104`) is the IPv4 range it maps, as canonicalIp maps its addresses.
    const mapped = entry.includes(':') && net.kind() === 'ipv4';
    const bits = bitsText === null ? max : Number(bitsText) - (mapped ? 96 : 0);
    if (bits < 0 || bits > max) throw new ConfigError(TRUSTED_PROXIES, raw, `"${entry}" has a prefix length out of range`, `use a prefix of 1–${max} bits`);
    // Every address a proxy: each client would name its own address in X-Forwarded-For and pass
    // any IP allowlist, the per-IP throttle and the new-IP alerts.
    if (bits === 0) {
      throw new ConfigError(TRUSTED_PROXIES, raw, `"${entry}" trusts every address as a proxy, so any client could choose its own IP`,
        'list only the balancer\'s addresses or its network, e.g. 10.0.0.0/24');
    }
    const widest = widestTrustedPrefix(net, bits);
    if (bits < widest) {
      throw new ConfigError(TRUSTED_PROXIES, raw, `"${entry}" makes ${net.kind() === 'ipv4' ? 'a large part of the Internet' : 'a large part of the global IPv6 Internet'} a proxy, so its clients could choose their own IP`,
        `list the balancer's addresses or its network: a range of at most /${widest} here (e.g. 10.0.0.0/24, 2001:db8:10::/48)`);
    }
    if (bits === max) exact.add(address);
    else ranges.push([net.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(`${address}/${bits}`) : ipaddr.IPv6.networkAddressFromCIDR(`${address}/${bits}`), bits]);
  }
  for (const kind of ['ipv4', 'ipv6'] as const) {
    if (coversEveryAddress(ranges.filter(([net]) => net.kind() === kind), kind === 'ipv4' ? 32 : 128)) {
      throw new ConfigError(TRUSTED_PROXIES, raw, `its ${kind === 'ipv4' ? 'IPv4' : 'IPv6'} ranges together hold every address, so any client could choose its own IP`,
        'list only the balancer\'s addresses or its network, e.g. 10.0.0.0/24');
    }
  }
  const canonical = [...new Set([...exact, ...ranges.map(([net, bits]) => `${net.toString()}/${bits}`)])].sort().join(',');
  return {
    canonical,
    has(ip: string): boolean {
      if (exact.has(ip)) return true;
      if (ranges.length === 0 || !ipaddr.isValid(ip)) return false;
      const addr = ipaddr.parse(ip);
      return ranges.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits));
    },
  };
}

/** fc00::/7: IPv6's private (unique-local) block, which a site may trust whole as it may 10.0.0.0/8. */
const UNIQUE_LOCAL = ipaddr.IPv6.parse('fc00::');

/**
 * The shortest prefix a trusted-proxy range may have: a balancer's network is at most a /8 of IPv4
 * (`10.0.0.0/8`) or a /24 of IPv6 (a CDN's ranges are /29–/32), the unique-local block aside.
 * Wider ranges make much of the Internet a proxy whose X-Forwarded-For is believed — `0.0.0.0/1,
 * 128.0.0.0/2, 192.0.0.0/3, 224.0.0.0/4` lacks only the reserved 240/4 and `2000::/3` is every
 * global IPv6 address (attack review 25) — without holding every address.
 */
function widestTrustedPrefix(net: ipaddr.IPv4 | ipaddr.IPv6, bits: number): number {
  if (net.kind() === 'ipv4') return 8;
  return bits >= 7 && (net as ipaddr.IPv6).match(UNIQUE_LOCAL, 7) ? 7 : 24;
}

/** True when the ranges (all of one kind, `max` bits) together hold every address: `0.0.0.0/1` and `128.0.0.0/1` are `/0`. */
function coversEveryAddress(ranges: ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]>, max: number): boolean {
  const spans = ranges.map(([net, bits]) => {
    const size = 1n << BigInt(max - bits);
    const value = net.toByteArray().reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
    const start = value - (value % size);
    return [start, start + size] as const;
  }).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let covered = 0n;
  for (const [start, end] of spans) {
    if (start > covered) return false;
    if (end > covered) covered = end;
  }
  return covered === 1n << BigInt(max);
}

/**
 * The address of one X-Forwarded-For entry: an address in a form {@link canonicalIp} reads, also
 * with a port as some proxies write it (`198.51.100.4:50123`, `[2001:db8::1]:443`, `[2001:db8::1]`);
 * null for anything else.
 */
function forwardedHopIp(hop: string): string | null {
  const v4 = /^([0-9.]+):(\d{1,5})$/.exec(hop);
  if (v4) return Number(v4[2]) <= 65_535 ? canonicalIp(v4[1]) : null;
  const v6 = /^\[([^\]]*:[^\]]*)\](?::(\d{1,5}))?$/.exec(hop);
  if (v6) return v6[2] === undefined || Number(v6[2]) <= 65_535 ? canonicalIp(v6[1]) : null;
  return canonicalIp(hop);
}

/**
 * The client IP: the socket peer, or — when the peer is a trusted proxy — the right-most
 * X-Forwarded-For entry that is not itself a trusted proxy, in canonical form
 * ({@link canonicalIp}, a port dropped: {@link forwardedHopIp}); {@link UNKNOWN_CLIENT_IP} when that entry is not an address.
 */
export function clientIpOf(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined, trustedProxies: TrustedProxies): string {
  const peer = normaliseIp(remoteAddress);
  // Node writes the peer ::a00:1 as `::10.0.0.1`: named as every other spelling of it is. Only
  // that form is read again (the library's checks cost microseconds on every request).
  let ip = peer.includes(':') && peer.includes('.') ? canonicalIp(peer) ?? peer : peer;
  if (!trustedProxies.has(ip) || forwardedFor === undefined) return ip;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map((h) => h.trim()).filter(Boolean);
  while (hops.length > 0 && trustedProxies.has(ip)) ip = forwardedHopIp(hops.pop() as string) ?? UNKNOWN_CLIENT_IP;
  return ip;
}

export function requestContext(nodeId: string, trustedProxies: TrustedProxies): RequestHandler {
  let counter = 0;
  const prefix = `${nodeId}-${Date.now().toString(36)}-`;
  return (req, res, next) => {
    const requestId = prefix + (counter++).toString(36);
    res.locals.requestId = requestId;
    res.setHeader('X-AREQUESTID', requestId);
    // Declared up front so every request object has the same shape: a filter that sets it
    // later then does not turn the property accesses of everything after it megamorphic.
    req.principal = undefined;
    req.clientIp = clientIpOf(req.socket.remoteAddress, req.headers['x-forwarded-for'], trustedProxies);
    next();
  };
}
