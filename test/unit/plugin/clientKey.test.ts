import { expect } from 'chai';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { parseClient } from '../../../plugin/restrictions';
import { clientKey } from '../../../plugin/service/clientKey';

/**
 * The client as parseClient read it before its own reading of plain IPv6 text: the library alone,
 * but for a dotted IPv4 tail, whose value the WHATWG URL parser gives: ipaddr.js reads `::a.b.c.d`
 * (the IPv4-compatible ::a00:1) as IPv4-mapped `::ffff:a.b.c.d` (attack review 24).
 */
function libraryClient(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const text = ip.trim();
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (!text.includes(':') || text.includes('%') || !ipaddr.IPv6.isValid(text)) return undefined;
  let plain = text;
  if (text.includes('.')) {
    // The URL parser takes only dotted decimal without leading zeros there, as parseClient does.
    try { plain = new URL(`http://[${text}]/`).hostname.slice(1, -1); } catch { return undefined; }
  }
  const v6 = ipaddr.IPv6.parse(plain);
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
}

/** clientKey over the library's reading. */
function libraryKey(ip: string): string {
  if (!ip.includes(':')) return ip;
  const parsed = libraryClient(ip);
  if (parsed === undefined) return ip;
  if (!('parts' in parsed)) return parsed.toString();
  return `${parsed.parts.slice(0, 4).map((p) => p.toString(16)).join(':')}::/64`;
}

/** Both readings as comparable text (`undefined` for no address). */
const both = (ip: string): [string | undefined, string | undefined] => [parseClient(ip)?.toNormalizedString(), libraryClient(ip)?.toNormalizedString()];

const group = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
/** An IPv6 address as text: full, with leading zeros, in upper case, or with one run of zero groups written `::`. */
const ipv6Text = fc.tuple(fc.array(group, { minLength: 8, maxLength: 8 }), fc.nat(7), fc.nat(8), fc.boolean(), fc.boolean()).map(([groups, from, length, padded, upper]) => {
  const text = groups.map((g) => (padded ? g.toString(16).padStart(4, '0') : g.toString(16)));
  const end = Math.min(8, from + length);
  const zeros = length > 0 && groups.slice(from, end).every((g) => g === 0);
  const written = zeros ? `${text.slice(0, from).join(':')}::${text.slice(end).join(':')}` : text.join(':');
  return upper ? written.toUpperCase() : written;
});
/** Text made of what addresses are made of, mostly not an address. */
const addressLike = fc.array(fc.constantFrom('0', '1', 'a', 'F', 'ffff', '12345', ':', '::', '.', '10.0.0.1', '%eth0', ' ', 'g', '255', '256', '00', '9'), { maxLength: 14 })
  .map((parts) => parts.join(''));
/** IPv4 addresses and near misses: octets past 255, leading zeros, too few or many parts. */
const ipv4Like = fc.array(fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('00', '01', '010', '0x1', '', '-1', '1e2')), { minLength: 1, maxLength: 5 })
  .map((parts) => parts.join('.'));

describe('clientKey and parseClient', () => {
  it('should answer as the IP allowlists read a client for every spelling of an IPv6 address', () => {
    fc.assert(fc.property(ipv6Text, (ip) => {
      expect(clientKey(ip), ip).to.equal(libraryKey(ip));
      const [ours, library] = both(ip);
      expect(ours, ip).to.equal(library).and.to.be.a('string');
      expect(clientKey(ip), ip).to.match(/^[0-9a-f]{1,4}(:[0-9a-f]{1,4}){3}::\/64$|^\d+\.\d+\.\d+\.\d+$/);
    }), { numRuns: 5000 });
  });

  it('should answer as the IP allowlists read a client for text that is no plain address', () => {
    fc.assert(fc.property(addressLike, (ip) => {
      expect(clientKey(ip), JSON.stringify(ip)).to.equal(libraryKey(ip));
      const [ours, library] = both(ip);
      expect(ours, JSON.stringify(ip)).to.equal(library);
    }), { numRuns: 5000 });
  });

  it('should read IPv4 addresses and near misses as the library does', () => {
    fc.assert(fc.property(ipv4Like, fc.boolean(), (ip, mapped) => {
      const text = mapped ? `::ffff:${ip}` : ip;
      expect(clientKey(text), text).to.equal(libraryKey(text));
      const [ours, library] = both(text);
      expect(ours, text).to.equal(library);
    }), { numRuns: 5000 });
  });

  it('should read IPv4 forms, mapped forms, zones and the edges as the library does', () => {
    for (const ip of ['10.0.0.1', '::ffff:10.0.0.1', '::ffff:a00:1', '::FFFF:0A00:0001', '::', '::1', '1::', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8',
      '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8::', '1::2::3', ':1:2:3:4:5:6:7', '2001:db8::1%eth0', ' 2001:db8::1', '2001:db8::10.0.0.1', '::10.0.0.1', '::0:10.0.0.1', '1::10.0.0.1', '::ffff:0x0a.0.0.1', '::ffff:010.0.0.1',
      '0:0:0:0:0:ffff:a00:1', '00000::1', 'unknown', '', '255.255.255.255', '256.0.0.1', '010.0.0.1', '1.2.3', ' 10.0.0.1 ', '::ffff:1.2.3.4']) {
      expect(clientKey(ip), JSON.stringify(ip)).to.equal(libraryKey(ip));
      const [ours, library] = both(ip);
      expect(ours, JSON.stringify(ip)).to.equal(library);
    }
    expect(clientKey('::ffff:a00:1')).to.equal('10.0.0.1');
    expect(clientKey('::10.0.0.1'), 'IPv4-compatible, no IPv4 client').to.equal('0:0:0:0::/64');
    expect(clientKey('2001:DB8:1:2:0:0:0:1')).to.equal('2001:db8:1:2::/64');
  });
});
