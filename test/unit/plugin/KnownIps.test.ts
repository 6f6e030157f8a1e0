import { expect } from 'chai';
import { knownIpsInclude, parseKnownIps } from '../../../plugin/ao/knownIps';

describe('knownIps', () => {
  const list = (...ips: string[]) => JSON.stringify(ips);

  it('should find an IP only as a whole element of the list', () => {
    expect(knownIpsInclude(list('10.0.0.1'), '10.0.0.1')).to.equal(true);
    expect(knownIpsInclude(list('10.0.0.7', '10.0.0.1', '2001:db8::1'), '10.0.0.1')).to.equal(true);
    expect(knownIpsInclude(list('10.0.0.7', '2001:db8::1'), '2001:db8::1')).to.equal(true);
    expect(knownIpsInclude(list('10.0.0.10', '110.0.0.1'), '10.0.0.1')).to.equal(false);
    expect(knownIpsInclude(list('2001:db8::10'), '2001:db8::1')).to.equal(false);
    expect(knownIpsInclude(null, '10.0.0.1')).to.equal(false);
    expect(knownIpsInclude('', '10.0.0.1')).to.equal(false);
  });

  it('should not take an IP for known because a stored element contains it with quotes around it', () => {
    // Forwarded values behind a trusted proxy can be any text: such elements are stored escaped.
    expect(knownIpsInclude(list('x"10.0.0.1"y'), '10.0.0.1')).to.equal(false);
    expect(knownIpsInclude(list('a,"10.0.0.1",b'), '10.0.0.1')).to.equal(false);
    expect(knownIpsInclude(list('a,', '10.0.0.1'), '10.0.0.1')).to.equal(true);
    expect(knownIpsInclude(list('["10.0.0.1"]'), '10.0.0.1')).to.equal(false);
    expect(parseKnownIps(list('x"10.0.0.1"y'))).to.not.include('10.0.0.1');
  });

  it('should answer false for any text that is no plain IP and for lists written another way, leaving them to the parsed check', () => {
    expect(knownIpsInclude(list('fe80::1%eth0'), 'fe80::1%eth0')).to.equal(false);
    expect(knownIpsInclude(list('a"b'), 'a"b')).to.equal(false);
    expect(knownIpsInclude('["10.0.0.7", "10.0.0.1"]', '10.0.0.1')).to.equal(false);
    expect(parseKnownIps('["10.0.0.7", "10.0.0.1"]')).to.deep.equal(['10.0.0.7', '10.0.0.1']);
  });

  it('should read a damaged or foreign KNOWN_IPS as no IP at all', () => {
    expect(parseKnownIps(null)).to.deep.equal([]);
    expect(parseKnownIps('{"10.0.0.1":1')).to.deep.equal([]);
    expect(parseKnownIps('{"ip":"10.0.0.1"}')).to.deep.equal([]);
    expect(parseKnownIps('["10.0.0.1",7,null]')).to.deep.equal(['10.0.0.1']);
  });
});
