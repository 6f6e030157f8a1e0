// An IPv6 zone id (`2001:db8::7%evil`) in the forwarded client address was kept as part of the
// "canonical" client IP. The allowlists and the throttle ignore a zone id (they read the address),
// while the audit log, the sampled `token used` events, KNOWN_IPS and new-IP alerts compare the
// text: one client appeared under as many names as it liked (each a "new IP", each a fresh audit
// sample). A zone id names an interface of the machine that wrote it and means nothing to another
// one, so the forwarded value is no address of the forms the host reads (docs/restrictions.md,
// "Client address"): the client is `unknown`.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { startE2e, type E2eEnv, stopAndCheckLeaks } from '../plugin/support/e2eHost';
import { rawRequest } from '../restrictions/support/rawHttp';

const PROXY = '127.0.0.3';

forEachDatabase('A forwarded client address with an IPv6 zone id', (kind) => {
  let e2e: E2eEnv;
  const forwarded = (token: string, clientIp: string) => rawRequest(e2e.host.url, '/rest/api/2/myself', {
    bearer: token, localAddress: PROXY, headers: { 'X-Forwarded-For': clientIp },
  });

  before(async () => { e2e = await startE2e('jira', kind, { HOSTSIM_SYSPROPS: `hostsim.trusted.proxies=${PROXY}` }); });
  after(() => stopAndCheckLeaks(e2e));

  it('should not be read as an address: no allowlist contains it', async () => {
    const { plainTextToken } = await e2e.createToken('alice', { ipAllowlist: ['2001:db8::/32', '::ffff:10.0.0.0/104'] });
    expect((await forwarded(plainTextToken, '2001:db8::7')).status).to.equal(200);
    const statuses = [await forwarded(plainTextToken, '2001:db8::7%evil'), await forwarded(plainTextToken, '2001:db8::7%1'), await forwarded(plainTextToken, '::ffff:10.1.2.3%x')]
      .map((r) => r.status);
    expect(statuses).to.deep.equal([403, 403, 403]);
  });
});
