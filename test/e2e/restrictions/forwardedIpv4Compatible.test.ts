// `::10.0.0.1` is the IPv4-compatible IPv6 address ::a00:1 (RFC 4291 2.5.5.1): how Node and most
// proxies write that address. The library the host and the allowlists read addresses with took it
// for the IPv4-mapped `::ffff:10.0.0.1`, that is the IPv4 client 10.0.0.1: an IPv6 client holding
// ::a00:1 passed an allowlist of 10.0.0.0/8 and shared 10.0.0.1's counts (attack review 24). Nor
// is an IPv4 tail in any other form than dotted decimal an address (`::ffff:0xa.0.0.1`).
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { startE2e, type E2eEnv, stopAndCheckLeaks } from '../plugin/support/e2eHost';
import { rawRequest } from './support/rawHttp';

const PROXY = '127.0.0.3';

forEachDatabase('A forwarded IPv4-compatible IPv6 client address', (kind) => {
  let e2e: E2eEnv;
  const forwarded = (token: string, clientIp: string) => rawRequest(e2e.host.url, '/rest/api/2/myself', {
    bearer: token, localAddress: PROXY, headers: { 'X-Forwarded-For': clientIp },
  });

  before(async () => { e2e = await startE2e('jira', kind, { HOSTSIM_SYSPROPS: `hostsim.trusted.proxies=${PROXY}` }); });
  after(() => stopAndCheckLeaks(e2e));

  it('should not pass an IPv4 allowlist as the IPv4 address it embeds', async () => {
    const { plainTextToken } = await e2e.createToken('alice', { ipAllowlist: ['10.0.0.0/8'] });
    expect((await forwarded(plainTextToken, '10.1.2.3')).status).to.equal(200);
    expect((await forwarded(plainTextToken, '::ffff:10.1.2.3')).status, 'IPv4-mapped: the IPv4 client').to.equal(200);
    const statuses = [await forwarded(plainTextToken, '::10.1.2.3'), await forwarded(plainTextToken, '[::10.1.2.3]:443'), await forwarded(plainTextToken, '::ffff:0xa.1.2.3'),
      await forwarded(plainTextToken, '::ffff:010.1.2.3')].map((r) => r.status);
    expect(statuses).to.deep.equal([403, 403, 403, 403]);
  });

  it('should pass an allowlist of the IPv6 range it is in', async () => {
    const { plainTextToken } = await e2e.createToken('alice', { ipAllowlist: ['::a00:0/104'] });
    expect((await forwarded(plainTextToken, '::10.1.2.3')).status).to.equal(200);
    expect((await forwarded(plainTextToken, '10.1.2.3')).status).to.equal(403);
  });
});
