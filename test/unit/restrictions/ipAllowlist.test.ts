import { expect } from 'chai';
import { compileRestrictions, createIpAllowlist, validateIpEntries, type TokenRestrictions } from '../../../plugin/restrictions';
import { compiled, outcome, request } from './fixtures';

describe('createIpAllowlist', () => {
  it('should contain listed IPv4 addresses only', () => {
    const list = createIpAllowlist(['192.168.1.10']);
    expect(list.contains('192.168.1.10')).to.equal(true);
    expect(list.contains('192.168.1.11')).to.equal(false);
  });

  it('should contain addresses inside an IPv4 CIDR range', () => {
    const list = createIpAllowlist(['10.1.0.0/16']);
    expect(list.contains('10.1.255.254')).to.equal(true);
    expect(list.contains('10.2.0.1')).to.equal(false);
  });

  it('should contain IPv6 addresses and ranges whatever their spelling', () => {
    const list = createIpAllowlist(['2001:db8::/32', '::1']);
    expect(list.contains('2001:0db8:0000:0000:0000:0000:0000:0042')).to.equal(true);
    expect(list.contains('0:0:0:0:0:0:0:1')).to.equal(true);
    expect(list.contains('2001:db9::1')).to.equal(false);
  });

  it('should match an IPv4-mapped IPv6 client against IPv4 entries', () => {
    const list = createIpAllowlist(['127.0.0.1', '172.16.0.0/12']);
    expect(list.contains('::ffff:127.0.0.1')).to.equal(true);
    expect(list.contains('::ffff:172.20.1.1')).to.equal(true);
    expect(list.contains('::ffff:8.8.8.8')).to.equal(false);
  });

  it('should match IPv4 clients against IPv4-mapped IPv6 entries', () => {
    const list = createIpAllowlist(['::ffff:10.0.0.0/104', '::ffff:192.168.0.5']);
    expect(list.contains('10.200.3.4')).to.equal(true);
    expect(list.contains('192.168.0.5')).to.equal(true);
    expect(list.contains('::ffff:10.1.1.1')).to.equal(true);
    expect(list.contains('11.0.0.1')).to.equal(false);
  });

  it('should not treat an IPv4 entry as containing unrelated IPv6 clients', () => {
    const list = createIpAllowlist(['0.0.0.0/0']);
    expect(list.contains('8.8.8.8')).to.equal(true);
    expect(list.contains('2001:db8::1')).to.equal(false);
  });

  it('should never contain invalid or empty client addresses', () => {
    const list = createIpAllowlist(['0.0.0.0/0', '::/0']);
    expect(list.contains('')).to.equal(false);
    expect(list.contains('not-an-ip')).to.equal(false);
    expect(list.contains('999.1.1.1')).to.equal(false);
  });
});

describe('validateIpEntries', () => {
  it('should accept addresses and ranges of both families, trimmed', () => {
    expect(validateIpEntries([' 10.0.0.1', '10.0.0.0/8', '::1', 'fe80::/10', '::ffff:1.2.3.4'])).to.deep.equal({
      ok: true, value: ['10.0.0.1', '10.0.0.0/8', '::1', 'fe80::/10', '::ffff:1.2.3.4'],
    });
  });

  it('should refuse malformed entries with INVALID_IP and their index', () => {
    const result = validateIpEntries(['10.0.0.1', '10.0.0.256', '10.0.0.0/33', '::/129', 'host.example', '0x7f.1', '10.0.0.1/', 5, '1.2.3.4/-1']);
    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.code, e.index])).to.deep.equal([
      ['INVALID_IP', 1], ['INVALID_IP', 2], ['INVALID_IP', 3], ['INVALID_IP', 4], ['INVALID_IP', 5], ['INVALID_IP', 6], ['INVALID_IP', 7], ['INVALID_IP', 8],
    ]);
  });

  it('should refuse a non-list with INVALID_INPUT', () => {
    const result = validateIpEntries('10.0.0.1');
    expect(result.ok ? 'ok' : result.errors[0].code).to.equal('INVALID_INPUT');
  });
});

describe('CompiledRestrictions (IP allowlist)', () => {
  it('should allow a listed client and refuse others with IP_NOT_ALLOWED', () => {
    const c = compiled({ rules: [], ipAllowlist: ['10.0.0.0/8'] });
    expect(outcome(c, request({ ip: '10.1.2.3' }))).to.equal('ALLOWED');
    expect(outcome(c, request({ ip: '::ffff:10.1.2.3' }))).to.equal('ALLOWED');
    expect(outcome(c, request({ ip: '192.168.0.1' }))).to.equal('IP_NOT_ALLOWED');
  });

  it('should admit any client when the allowlist is empty', () => {
    expect(outcome(compiled({ rules: ['.*'], ipAllowlist: [] }), request({ ip: '203.0.113.9' }))).to.equal('ALLOWED');
  });
});

describe('CompiledRestrictions.clientRefusal (decided before any user is looked at)', () => {
  it('should refuse a client outside the allowlist whatever the request, and leave the rest to the rules', () => {
    const c = compiled({ rules: [{ urlPattern: '/rest/api/2/issue/.*' }], ipAllowlist: ['10.0.0.0/8'] });
    expect(c.clientRefusal('127.0.0.1')).to.equal('IP_NOT_ALLOWED');
    expect(c.clientRefusal('10.1.2.3')).to.equal(null);
    expect(compiled({ rules: [{ urlPattern: '/rest/api/2/issue/.*' }] }).clientRefusal('127.0.0.1'), 'no allowlist').to.equal(null);
  });

  it('should refuse every client of restrictions that refuse everything', () => {
    const broken = compileRestrictions({ rules: [{ urlPattern: '(a)\\1' }], ipAllowlist: [] } as TokenRestrictions);
    expect(broken.clientRefusal('10.1.2.3')).to.equal('RESTRICTIONS_INVALID');
  });
});
