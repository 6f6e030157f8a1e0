import ipaddr from 'ipaddr.js';
import { readIpv6Address } from '../../host-sim/spi';
import { DEFAULT_RESTRICTION_LIMITS, ParseResult, RestrictionError } from './types';

/** A set of client addresses; also used for the global `ipAllowlist` setting. */
export interface IpAllowlist {
  /** True when `ip` is a valid address inside one of the entries. Invalid input is never contained. */
  contains(ip: string): boolean;
}

type Range = { kind: 'ipv4'; net: ipaddr.IPv4; bits: number } | { kind: 'ipv6'; net: ipaddr.IPv6; bits: number };

/**
 * Reads one entry: an IPv4 address in dotted-quad form, an IPv6 address, or either with a
 * `/prefix`. IPv4-mapped IPv6 entries (`::ffff:10.0.0.0/104`) become their IPv4 range, so that
 * they match clients whichever way the socket reports them.
 */
function parseEntry(entry: string): Range | undefined {
  const text = entry.trim();
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const bitsText = slash < 0 ? undefined : text.slice(slash + 1);
  if (bitsText !== undefined && !/^\d{1,3}$/.test(bitsText)) return undefined;
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  if (ipaddr.IPv4.isValidFourPartDecimal(addrText)) {
    addr = ipaddr.IPv4.parse(addrText);
  } else {
    const v6 = addrText.includes(':') ? readIpv6Address(addrText) : undefined;
    if (v6 === undefined) return undefined;
    addr = v6;
  }
  const max = addr.kind() === 'ipv4' ? 32 : 128;
  let bits = bitsText === undefined ? max : Number(bitsText);
  if (bits > max) return undefined;
  if (addr instanceof ipaddr.IPv6 && addr.isIPv4MappedAddress() && bits >= 96) {
    addr = addr.toIPv4Address();
    bits -= 96;
  }
  return addr instanceof ipaddr.IPv4 ? { kind: 'ipv4', net: addr, bits } : { kind: 'ipv6', net: addr, bits };
}

/**
 * The client address in comparable form; IPv4-mapped IPv6 becomes IPv4. Only the forms an entry
 * may take are addresses (dotted-quad decimal IPv4, IPv6): `010.0.0.1`, `0xa.0.0.1` or
 * `167772161` match nothing, whatever a lenient parser would read them as.
 */
export function parseClient(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const text = ip.trim();
  // Read on every request with an allowlist and on every sampled token use: the library's checks
  // cost ~12 µs for any text (each builds its expressions anew), these ~0.1–1 µs.
  if (!text.includes(':')) return dottedQuad(text);
  // Nor a zoned IPv6 address (`2001:db8::1%eth0`): the host never hands one over as a client (canonicalIp).
  if (text.includes('%')) return undefined;
  const groups = plainIpv6Groups(text);
  if (groups !== undefined) {
    const mapped = groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff;
    return mapped ? new ipaddr.IPv4([groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255]) : new ipaddr.IPv6(groups);
  }
  const v6 = readIpv6Address(text);
  return v6 !== undefined && v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
}

const DOTTED_QUAD = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/** A dotted-quad decimal IPv4 address without leading zeros (ipaddr's `isValidFourPartDecimal`), else undefined. */
function dottedQuad(text: string): ipaddr.IPv4 | undefined {
  const m = DOTTED_QUAD.exec(text);
  if (m === null) return undefined;
  const octets = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  return octets.every((o) => o <= 255) ? new ipaddr.IPv4(octets) : undefined;
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/**
 * The eight groups of an IPv6 address written as hexadecimal groups with at most one `::`, or
 * undefined for anything else (an embedded IPv4 part, text that is no address), which the library
 * then reads.
 */
function plainIpv6Groups(text: string): number[] | undefined {
  if (text.length > 39 || text.includes('.')) return undefined;
  const gap = text.indexOf('::');
  if (gap !== -1 && text.indexOf('::', gap + 1) !== -1) return undefined;
  const front = gap === -1 ? text.split(':') : gap === 0 ? [] : text.slice(0, gap).split(':');
  const back = gap === -1 || gap + 2 === text.length ? [] : text.slice(gap + 2).split(':');
  const given = front.length + back.length;
  if (gap === -1 ? given !== 8 : given > 7) return undefined;
  const groups: number[] = [];
  for (const g of front) {
    if (!HEX_GROUP.test(g)) return undefined;
    groups.push(parseInt(g, 16));
  }
  while (groups.length < 8 - back.length) groups.push(0);
  for (const g of back) {
    if (!HEX_GROUP.test(g)) return undefined;
    groups.push(parseInt(g, 16));
  }
  return groups;
}

/**
 * Checks allowlist entries: each must be an address or CIDR range, and there may be at most
 * `maxEntries`. The value keeps the entries as written (trimmed), in order.
 */
export function validateIpEntries(entries: unknown, maxEntries = DEFAULT_RESTRICTION_LIMITS.maxIpEntries): ParseResult<string[]> {
  if (!Array.isArray(entries)) {
    return { ok: false, errors: [{ code: 'INVALID_INPUT', field: 'ipAllowlist', detail: 'the IP allowlist must be a list of addresses' }] };
  }
  const errors: RestrictionError[] = [];
  if (entries.length > maxEntries) {
    errors.push({ code: 'TOO_MANY_IP_ENTRIES', field: 'ipAllowlist', detail: `at most ${maxEntries} IP allowlist entries are allowed` });
    return { ok: false, errors };
  }
  const value: string[] = [];
  entries.forEach((entry, index) => {
    if (typeof entry !== 'string' || parseEntry(entry) === undefined) {
      errors.push({ code: 'INVALID_IP', index, field: `ipAllowlist[${index}]`, detail: 'not an IPv4/IPv6 address or CIDR range' });
    } else {
      value.push(entry.trim());
    }
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value };
}

/** Builds an allowlist from valid entries (invalid ones are ignored: validate first). */
export function createIpAllowlist(entries: readonly string[]): IpAllowlist {
  const ranges = entries.map(parseEntry).filter((r): r is Range => r !== undefined);
  return {
    contains(ip: string): boolean {
      const client = parseClient(ip);
      if (!client) return false;
      for (const range of ranges) {
        if (range.kind === 'ipv4' && client instanceof ipaddr.IPv4 && client.match(range.net, range.bits)) return true;
        if (range.kind === 'ipv6' && client instanceof ipaddr.IPv6 && client.match(range.net, range.bits)) return true;
      }
      return false;
    },
  };
}
