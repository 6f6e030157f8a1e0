import { expect } from 'chai';
import type { Database } from '../../../host-sim/impl/db/Database';
import { forEachDatabase } from '../../support/databases';
import { HostCluster, waitFor } from './hostFixture';

forEachDatabase('DefaultLoginManager', (kind) => {
  let cluster: HostCluster;

  beforeEach(async () => { cluster = await HostCluster.create(kind); });
  afterEach(async () => { await cluster.cleanup(); });

  it('should count failed logins across nodes and require a CAPTCHA after the configured number', async () => {
    const a = await cluster.start();
    const b = await cluster.start();
    expect(await b.loginManager.isElevatedSecurityCheckRequired('alice')).to.equal(false);
    expect((await a.loginManager.recordFailedLogin('alice')).currentFailedLoginCount).to.equal(1);
    expect((await b.loginManager.recordFailedLogin('ALICE')).currentFailedLoginCount).to.equal(2);
    const third = await a.loginManager.recordFailedLogin('alice');
    expect(third).to.include({ currentFailedLoginCount: 3, totalFailedLoginCount: 3, elevatedSecurityCheckRequired: true });
    expect(third.lastFailedLoginTime).to.be.a('number');
    await waitFor(() => b.loginManager.isElevatedSecurityCheckRequired('alice'), 1000, 'CAPTCHA state on node 2');
    expect(await b.loginManager.getLoginInfo('Alice')).to.include({ currentFailedLoginCount: 3, elevatedSecurityCheckRequired: true });
  });

  it('should answer peekElevatedSecurityCheckRequired from the node cache only, kept coherent across nodes', async () => {
    const a = await cluster.start();
    const b = await cluster.start();
    expect(b.loginManager.peekElevatedSecurityCheckRequired('dora')).to.equal(undefined);
    expect(await b.loginManager.isElevatedSecurityCheckRequired('dora')).to.equal(false);
    expect(b.loginManager.peekElevatedSecurityCheckRequired('DORA')).to.equal(false);
    for (let i = 0; i < 3; i++) await a.loginManager.recordFailedLogin('dora');
    await waitFor(() => b.loginManager.peekElevatedSecurityCheckRequired('dora') !== false, 1000, 'stale entry dropped on node 2');
    expect(await b.loginManager.isElevatedSecurityCheckRequired('dora')).to.equal(true);
    expect(b.loginManager.peekElevatedSecurityCheckRequired('dora')).to.equal(true);
  });

  it('should count concurrent failures atomically', async () => {
    const a = await cluster.start();
    const b = await cluster.start();
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).loginManager.recordFailedLogin('bob')));
    expect(await a.loginManager.getLoginInfo('bob')).to.include({ currentFailedLoginCount: 10, totalFailedLoginCount: 10 });
  });

  it('should reset the current count on success or by an admin, on every node', async () => {
    const a = await cluster.start();
    const b = await cluster.start();
    for (let i = 0; i < 3; i++) await a.loginManager.recordFailedLogin('carol');
    await waitFor(() => b.loginManager.isElevatedSecurityCheckRequired('carol'), 1000, 'CAPTCHA state on node 2');
    await a.loginManager.recordSuccessfulLogin('carol');
    await waitFor(async () => !(await b.loginManager.isElevatedSecurityCheckRequired('carol')), 1000, 'reset on node 2');
    expect(await b.loginManager.getLoginInfo('carol')).to.include({ currentFailedLoginCount: 0, totalFailedLoginCount: 3 });
    for (let i = 0; i < 3; i++) await b.loginManager.recordFailedLogin('carol');
    await b.loginManager.resetFailedLoginCount('carol');
    await waitFor(async () => !(await a.loginManager.isElevatedSecurityCheckRequired('carol')), 1000, 'admin reset on node 1');
    expect(await a.loginManager.getLoginInfo('carol')).to.include({ currentFailedLoginCount: 0, totalFailedLoginCount: 6 });
  });

  it('should announce failures beyond the limit once per node, not one change-log message each', async () => {
    // The login page checks passwords in CAPTCHA state too: an anonymous flood of wrong page
    // logins for one user must not turn into a flood of messages that every node must read.
    const a = await cluster.start();
    const b = await cluster.start();
    const messages = async (name: string): Promise<number> => {
      const [{ N: n }] = await (a.db as Database).query<{ N: number }>('SELECT COUNT(*) AS N FROM HOST_CLUSTER_MESSAGE WHERE CHANNEL = ? AND PAYLOAD = ?', ['host.login-info', name]);
      return Number(n);
    };
    expect(await b.loginManager.isElevatedSecurityCheckRequired('gina')).to.equal(false);
    for (let i = 0; i < 40; i++) await a.loginManager.recordFailedLogin('gina');
    expect(await a.loginManager.getLoginInfo('gina')).to.include({ currentFailedLoginCount: 40, elevatedSecurityCheckRequired: true });
    // Counts 1 and 2 (below the limit of 3), then reaching it: 3 messages for 40 failures.
    expect(await messages('gina')).to.equal(3);
    await waitFor(() => b.loginManager.isElevatedSecurityCheckRequired('gina'), 1000, 'CAPTCHA state on node 2');
    // Failures on the other node beyond the limit: that node announces once too.
    for (let i = 0; i < 10; i++) await b.loginManager.recordFailedLogin('gina');
    expect(await messages('gina')).to.equal(4);

    // A reset on node 2 ends the episode everywhere; the next time the limit is reached on node 1
    // is news again, and node 2 learns it.
    await b.loginManager.resetFailedLoginCount('gina');
    await waitFor(async () => !(await a.loginManager.isElevatedSecurityCheckRequired('gina')), 1000, 'reset on node 1');
    for (let i = 0; i < 20; i++) await a.loginManager.recordFailedLogin('gina');
    await waitFor(() => b.loginManager.isElevatedSecurityCheckRequired('gina'), 1000, 'CAPTCHA state on node 2 again');
    expect(b.loginManager.peekElevatedSecurityCheckRequired('gina')).to.equal(true);
    expect(await messages('gina')).to.equal(4 + 1 + 3);
  });

  it('should write nothing for a successful login without earlier failures', async () => {
    const a = await cluster.start();
    await a.loginManager.isElevatedSecurityCheckRequired('dave');
    const before = a.db.statementCounts();
    await a.loginManager.recordSuccessfulLogin('dave');
    expect(await a.loginManager.isElevatedSecurityCheckRequired('dave')).to.equal(false);
    expect(a.db.statementCounts()).to.deep.equal(before);
  });

  it('should honour a configured threshold and send the Seraph CAPTCHA headers', async () => {
    const a = await cluster.start({ maxFailedLogins: 5, baseUrl: 'http://localhost:2990/jira' });
    for (let i = 0; i < 4; i++) await a.loginManager.recordFailedLogin('erin');
    expect(await a.loginManager.isElevatedSecurityCheckRequired('erin')).to.equal(false);
    await a.loginManager.recordFailedLogin('erin');
    expect(await a.loginManager.isElevatedSecurityCheckRequired('erin')).to.equal(true);
    expect(a.loginManager.captchaChallengeHeaders()).to.deep.equal({
      'X-Seraph-LoginReason': 'AUTHENTICATION_DENIED',
      'X-Authentication-Denied-Reason': 'CAPTCHA_CHALLENGE; login-url=http://localhost:2990/jira/login.jsp',
    });
  });
});
