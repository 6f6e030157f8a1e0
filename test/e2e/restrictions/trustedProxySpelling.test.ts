// `hostsim.trusted.proxies` entries the host cannot read as the socket peer it compares them with —
// a range (`127.0.0.0/29`, the natural way to name a balancer pool or an ingress network) or
// another spelling of the proxy's address (`::ffff:127.0.0.3`) — were silently never trusted. Every
// client behind such a proxy then had the proxy's address: a token limited to the internal network
// the proxy lives in (`127.0.0.0/8` here, `10.0.0.0/8` in real life) was admitted from anywhere,
// and every client shared the proxy's throttle counter. Requests come through 127.0.0.3, as in
// test/e2e/restrictions/ipAllowlists.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { startTestHost } from '../../support/hostServer';
import { startE2e, type E2eEnv, stopAndCheckLeaks } from '../plugin/support/e2eHost';
import { rawRequest } from '../restrictions/support/rawHttp';

const PROXY = '127.0.0.3';
const OUTSIDE = '203.0.113.9';

forEachDatabase('Trusted proxies listed as a range or in another spelling', (kind) => {
  for (const listed of ['127.0.0.0/29', '::ffff:127.0.0.3', '::FFFF:7F00:3']) {
    describe(`hostsim.trusted.proxies=${listed}`, () => {
      let e2e: E2eEnv;
      const forwarded = (token: string, clientIp: string) => rawRequest(e2e.host.url, '/rest/api/2/myself', {
        bearer: token, localAddress: PROXY, headers: { 'X-Forwarded-For': clientIp },
      });

      before(async () => { e2e = await startE2e('jira', kind, { HOSTSIM_SYSPROPS: `hostsim.trusted.proxies=${listed}` }); });
      after(() => stopAndCheckLeaks(e2e));

      it('should take the forwarded client, not the proxy, for a token limited to the proxy\'s network', async () => {
        const { plainTextToken } = await e2e.createToken('alice', { ipAllowlist: ['127.0.0.0/8'] });
        expect((await forwarded(plainTextToken, '127.0.0.9')).status).to.equal(200);
        expect((await forwarded(plainTextToken, OUTSIDE)).status).to.equal(403);
      });
    });
  }

  it('should refuse to start with a trusted proxy entry that is no address or range', async () => {
    let failure: unknown;
    try {
      const host = await startTestHost({ product: 'jira', dbKind: kind, env: { HOSTSIM_SYSPROPS: 'hostsim.trusted.proxies=balancer.example.com' } });
      await host.stop();
    } catch (err) {
      failure = err;
    }
    expect((failure as { name?: string } | undefined)?.name).to.equal('ConfigError');
    expect((failure as { setting?: string }).setting).to.equal('hostsim.trusted.proxies');
  });
});
