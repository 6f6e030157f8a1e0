import ipaddr from 'ipaddr.js';
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
  } else if (addrText.includes(':') && ipaddr.IPv6.isValid(addrText)) {
    addr = ipaddr.IPv6.parse(addrText);
  } else {
    return undefined;
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
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  // Nor a zoned IPv6 address (`2001:db8::1%eth0`): the host never hands one over as a client (canonicalIp).
  if (!text.includes(':') || text.includes('%') || !ipaddr.IPv6.isValid(text)) return undefined;
  const v6 = ipaddr.IPv6.parse(text);
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
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
