// Per-token and global IP allowlists through real HTTP. Requests leave from 127.0.0.1 or
// 127.0.0.2 (`localAddress`); IPv6 and other addresses come through 127.0.0.3, which the host
// trusts as a proxy (`hostsim.trusted.proxies`), so X-Forwarded-For sets the client address.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from '../plugin/support/e2eHost';
import { rawRequest } from './support/rawHttp';

const PROXY = '127.0.0.3';

forEachDatabase('Token restrictions end to end (IP allowlists)', (kind) => {
  let e2e: E2eEnv;
  const from = (token: string, localAddress: string) => rawRequest(e2e.host.url, '/rest/api/2/myself', { bearer: token, localAddress });
  const forwarded = (token: string, clientIp: string) => rawRequest(e2e.host.url, '/rest/api/2/myself', {
    bearer: token, localAddress: PROXY, headers: { 'X-Forwarded-For': clientIp },
  });
  const settings = (body: Record<string, unknown>) => e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body });

  before(async () => { e2e = await startE2e('jira', kind, { HOSTSIM_SYSPROPS: `hostsim.trusted.proxies=${PROXY}` }); });
  after(() => stopAndCheckLeaks(e2e));

  it('should admit a single IPv4 address and refuse another loopback address', async () => {
    const { plainTextToken } = await e2e.createToken('alice', { ipAllowlist: ['127.0.0.1'] });
    expect((await from(plainTextToken, '127.0.0.1')).status).to.equal(200);
    const refused = await from(plainTextToken, '127.0.0.2');
    expect(refused.status).to.equal(403);
    expect(refused.json).to.have.keys(['errorMessage']);
    expect(e2e.logs.some((l) => l.includes('"reason":"RESTRICTED"') && l.includes('"detail":"IP_NOT_ALLOWED"') && l.includes('127.0.0.2'))).to.equal(true);
  });

  it('should admit an IPv4 CIDR range', async () => {
    const { plainTextToken } = await e2e.createToken('alice', { ipAllowlist: ['127.0.0.0/30'] });
    expect((await from(plainTextToken, '127.0.0.2')).status).to.equal(200);
    expect((await forwarded(plainTextToken, '127.0.0.5')).status).to.equal(403);
    expect((await forwarded(plainTextToken, '127.0.0.1')).status).to.equal(200);
  });

  it('should admit IPv6 addresses and ranges, and IPv4-mapped clients of IPv4 entries', async () => {
    const { plainTextToken } = await e2e.createToken('alice', { ipAllowlist: ['2001:db8::/32', '::1', '10.0.0.0/8'] });
    expect((await forwarded(plainTextToken, '2001:db8::7')).status).to.equal(200);
    expect((await forwarded(plainTextToken, '::1')).status).to.equal(200);
    expect((await forwarded(plainTextToken, '2001:db9::1')).status).to.equal(403);
    expect((await forwarded(plainTextToken, '::ffff:10.1.2.3')).status).to.equal(200);
    expect((await from(plainTextToken, '127.0.0.1')).status).to.equal(403);
  });

  it('should read the forwarded client address only in canonical forms, never octal, hexadecimal or numeric IPv4', async () => {
    // From the attack review of 2026-12-02: `010.0.0.1` was read as 8.0.0.1, `0xa.0.0.1`,
    // `167772161` and `10.1` as 10.0.0.1, while the audit, the throttle and new-IP alerts saw the text.
    const eight = (await e2e.createToken('alice', { ipAllowlist: ['8.0.0.1'] })).plainTextToken;
    const ten = (await e2e.createToken('alice', { ipAllowlist: ['10.0.0.1'] })).plainTextToken;
    const statuses = [await forwarded(eight, '010.0.0.1'), await forwarded(ten, '0xa.0.0.1'), await forwarded(ten, '167772161'), await forwarded(ten, '10.1')]
      .map((r) => r.status);
    expect(statuses).to.deep.equal([403, 403, 403, 403]);
    expect((await forwarded(ten, '10.0.0.1')).status).to.equal(200);
  });

  it('should combine the allowlist with rules (both must admit), also in the text form', async () => {
    const { plainTextToken } = await e2e.createToken('alice', { restrictions: '[GET].*/rest/api/2/myself\n[IpAllowlist::127.0.0.2]' });
    expect((await from(plainTextToken, '127.0.0.2')).status).to.equal(200);
    expect((await from(plainTextToken, '127.0.0.1')).status).to.equal(403);
    const other = await rawRequest(e2e.host.url, '/rest/api/2/configuration', { bearer: plainTextToken, localAddress: '127.0.0.2' });
    expect(other.status).to.equal(403);
  });

  it('should keep the rules when PATCH changes only the allowlist', async () => {
    const created = await e2e.createToken('alice', { restrictions: '[GET].*/rest/api/2/myself', ipAllowlist: ['127.0.0.2'] });
    const patched = await e2e.as('alice', `${API}/user/token/${created.id}`, { method: 'PATCH', body: { ipAllowlist: ['127.0.0.1'] } });
    expect(patched.status).to.equal(200);
    expect(patched.json.restrictions).to.deep.equal({ rules: [{ method: 'GET', urlPattern: '.*/rest/api/2/myself' }], ipAllowlist: ['127.0.0.1'] });
    expect((await from(created.plainTextToken, '127.0.0.1')).status).to.equal(200);
    expect((await from(created.plainTextToken, '127.0.0.2')).status).to.equal(403);
  });

  it('should enforce the global ipAllowlist setting for every token request, not for passwords', async () => {
    const { plainTextToken } = await e2e.createToken('alice');
    expect((await settings({ ipAllowlist: ['127.0.0.1', '2001:db8::/32'] })).status).to.equal(200);
    try {
      expect((await from(plainTextToken, '127.0.0.1')).status).to.equal(200);
      expect((await from(plainTextToken, '127.0.0.2')).status).to.equal(403);
      expect((await forwarded(plainTextToken, '2001:db8::1')).status).to.equal(200);
      expect((await rawRequest(e2e.host.url, '/rest/api/2/myself', { basic: ['alice', plainTextToken], localAddress: '127.0.0.2' })).status).to.equal(403);
      expect((await rawRequest(e2e.host.url, '/rest/api/2/myself', { basic: ['alice', e2e.users.alice.password], localAddress: '127.0.0.2' })).status).to.equal(200);
    } finally {
      expect((await settings({ ipAllowlist: [] })).status).to.equal(200);
    }
    expect((await from(plainTextToken, '127.0.0.2')).status).to.equal(200);
  });

  it('should refuse invalid allowlist entries with 400 and per-entry errors', async () => {
    for (const ipAllowlist of [['not-an-ip'], ['10.0.0.0/33'], ['2001:db8::/129'], [42]]) {
      const res = await e2e.as('alice', `${API}/user/token`, { method: 'POST', body: { ipAllowlist } });
      expect(res.status, JSON.stringify(ipAllowlist)).to.equal(400);
      expect(res.json).to.have.keys(['errorMessage', 'errors']);
    }
  });
});
