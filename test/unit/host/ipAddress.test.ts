import { expect } from 'chai';
import { ipv6NetworkText, readIpv6Address } from '../../../host-sim/spi';

describe('SPI ipAddress', () => {
  it('should name the /64, /56 and /48 of an address with its host bits cleared', () => {
    const groups = readIpv6Address('2001:DB8:1:2ab:ffff::1')?.parts ?? [];
    expect(ipv6NetworkText(groups, 64)).to.equal('2001:db8:1:2ab::/64');
    expect(ipv6NetworkText(groups, 56)).to.equal('2001:db8:1:200::/56');
    expect(ipv6NetworkText(groups, 48)).to.equal('2001:db8:1::/48');
    expect(groups, 'the groups given are left as they were').to.deep.equal([0x2001, 0xdb8, 1, 0x2ab, 0xffff, 0, 0, 1]);
  });

  it('should read a dotted IPv4 tail as two groups of the IPv6 address, and no other IPv4 form', () => {
    expect(readIpv6Address('::10.0.0.1')?.toString()).to.equal('::a00:1');
    expect(readIpv6Address('::ffff:10.0.0.1')?.isIPv4MappedAddress()).to.equal(true);
    expect(readIpv6Address('::ffff:010.0.0.1')).to.equal(undefined);
    expect(readIpv6Address('::ffff:0xa.0.0.1')).to.equal(undefined);
    expect(readIpv6Address('::ffff:10.0.0.256')).to.equal(undefined);
    expect(readIpv6Address('not an address')).to.equal(undefined);
  });
});
